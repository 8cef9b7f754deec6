// Coachdesk's reply coach in the browser: marks behind the words as the agent types, the findings
// beside them, one-click rewrites, the send gate, drafts kept on the server, and the live ticket.
// Plain JavaScript, loaded with defer. Listeners are delegated from document and every per-element
// set-up is idempotent (keyed by element), so content htmx swaps in needs no re-binding.
(function () {
	"use strict";

	var LINT_DELAY = 70; // ms after the last keystroke: the server answers in a few ms, so highlights land within ~150 ms
	var LINT_RETRY = 1500;
	var GATE_WAIT = 3000; // longest a send waits for a pending lint or draft save before the server decides alone
	var DRAFT_DELAY = 700;
	var DRAFT_RETRY_MAX = 60000;
	var THREAD_DELAY = 120;
	var SEVERITY = { error: 3, warning: 2, suggestion: 1 };
	// Rules whose span is the whole reply: underlining everything says nothing, so they show only when pointed at.
	var WIDE_RULES = { "short-reply": true, "greeting": true };
	var MIRRORED = ["fontFamily", "fontSize", "fontWeight", "fontStyle", "fontStretch", "fontVariant", "fontKerning",
		"fontFeatureSettings", "fontVariationSettings", "lineHeight", "letterSpacing", "wordSpacing", "textIndent",
		"textTransform", "textRendering", "tabSize", "direction", "textAlign", "whiteSpace", "overflowWrap", "wordBreak",
		"hyphens", "boxSizing", "paddingTop", "paddingBottom", "paddingLeft", "borderTopWidth", "borderRightWidth",
		"borderBottomWidth", "borderLeftWidth", "borderTopLeftRadius", "borderTopRightRadius",
		"borderBottomLeftRadius", "borderBottomRightRadius"];

	var editors = new WeakMap(); // .coach-editor → editor state
	var byArea = new WeakMap(); // textarea → editor state
	var composers = new WeakMap(); // form#composer → draft state
	var revs = {}; // ticket → highest draft rev this page handed out, across composer re-renders
	var live = null; // the page's one event stream
	var resizes = typeof ResizeObserver === "function" ? new ResizeObserver(onResize) : null;
	var observed = []; // textareas under the ResizeObserver, let go once htmx swaps them out

	// ---------- small helpers ----------

	function $(root, sel) { return root.querySelector(sel); }

	function make(tag, cls, text) {
		var node = document.createElement(tag);
		if (cls) node.className = cls;
		if (text != null) node.textContent = text;
		return node;
	}

	function button(cls, label) {
		var b = make("button", cls, label);
		b.type = "button";
		return b;
	}

	function fill(template, values) {
		return String(template || "").replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
	}

	function csrfToken(form) {
		var meta = document.querySelector("meta[name=csrf-token]");
		if (meta && meta.content) return meta.content;
		var field = form && form.querySelector("input[name=_csrf]");
		return field ? field.value : "";
	}

	function clockTime(iso) {
		var d = iso ? new Date(iso) : new Date();
		if (isNaN(d.getTime())) d = new Date();
		return d.toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
	}

	function timeout(promise, ms) {
		return Promise.race([promise, new Promise(function (resolve) { setTimeout(resolve, ms); })]);
	}

	// byteToUnit maps the coach's UTF-8 byte offsets to JavaScript's UTF-16 indexes for one text.
	function byteToUnit(text) {
		var bytes = 0, i, c, n = text.length;
		var map = new Int32Array(n * 3 + 1);
		for (i = 0; i < n; i++) {
			c = text.charCodeAt(i);
			var len, units = 1;
			if (c < 0x80) len = 1;
			else if (c < 0x800) len = 2;
			else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { len = 4; units = 2; }
			else len = 3; // a lone surrogate reaches the server as U+FFFD, three bytes
			for (var k = 0; k < len; k++) map[bytes + k] = i;
			bytes += len;
			i += units - 1;
		}
		map[bytes] = n;
		return function (b) { return b <= 0 ? 0 : b >= bytes ? n : map[b]; };
	}

	// ---------- editor state ----------

	function editorOf(node) {
		var root = node && node.closest && node.closest("[data-coach]");
		return root ? ensureEditor(root) : null;
	}

	function ensureEditor(root) {
		var st = editors.get(root);
		if (st) return st;
		var area = $(root, "textarea");
		if (!area) return null;
		var strings = {};
		try { strings = JSON.parse(root.getAttribute("data-i18n") || "{}"); } catch (e) { /* keep defaults: ids show */ }
		st = {
			root: root, area: area, form: area.form, backdrop: $(root, ".coach-backdrop"), panel: $(root, ".coach-panel"),
			list: $(root, ".coach-findings"), status: $(root, ".coach-status"), score: $(root, ".coach-score"),
			langUsed: $(root, ".coach-lang-used"), positives: $(root, ".coach-positives"), positivesBlock: $(root, ".coach-positives-block"),
			t: strings, seq: 0, ctrl: null, timer: 0, result: null, shown: [], painted: null, keys: {}, keyCount: 0,
			active: null, pointers: [], marks: readMarks(area.form), waiters: [], failure: ""
		};
		editors.set(root, st);
		byArea.set(area, st);
		if (resizes) {
			resizes.observe(area);
			observed.push(area);
		}
		paint(st);
		if (isNote(st)) setNote(st, true);
		else if (area.value.trim()) lint(st);
		else renderPanel(st);
		return st;
	}

	function str(st, id, values) {
		var s = st.t[id] || id;
		return values ? fill(s, values) : s;
	}

	function isNote(st) {
		if (!st.form) return false;
		var checked = st.form.querySelector("input[name=kind]:checked");
		return checked ? checked.value === "note" : st.form.getAttribute("data-kind") === "note";
	}

	function lang(st) {
		var select = st.form && st.form.querySelector("select[name=lang]");
		return (select && select.value) || st.root.getAttribute("data-lang") || "auto";
	}

	function setState(st, state) { st.root.setAttribute("data-lint-state", state); }

	// ---------- linting ----------

	function scheduleLint(st, delay) {
		clearTimeout(st.timer);
		setState(st, "pending");
		st.timer = setTimeout(function () { lint(st); }, delay);
	}

	function lint(st) {
		clearTimeout(st.timer);
		st.timer = 0;
		if (st.ctrl) st.ctrl.abort();
		st.ctrl = null;
		var text = st.area.value;
		var seq = ++st.seq;
		if (isNote(st) || !text.trim()) {
			applyResult(st, text, null, seq);
			return;
		}
		var ctrl = typeof AbortController === "function" ? new AbortController() : null;
		st.ctrl = ctrl;
		setState(st, "pending");
		fetch(st.root.getAttribute("data-lint-url") || "/api/v1/lint", {
			method: "POST",
			credentials: "same-origin",
			headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrfToken(st.form) },
			body: JSON.stringify({ text: text, lang: lang(st), no_acknowledge: st.root.getAttribute("data-no-acknowledge") === "true" }),
			signal: ctrl ? ctrl.signal : undefined
		}).then(function (res) {
			if (!res.ok) throw { status: res.status };
			return res.json();
		}).then(function (result) {
			if (seq !== st.seq) return; // a newer lint owns the editor now
			st.ctrl = null;
			if (st.area.value !== text) { scheduleLint(st, LINT_DELAY); return; }
			applyResult(st, text, withoutSkipped(st, result), seq);
		}).catch(function (err) {
			if (seq !== st.seq || (err && err.name === "AbortError")) return;
			st.ctrl = null;
			lintFailed(st, err && err.status);
		});
	}

	// withoutSkipped drops the rules this editor leaves out (a saved reply has no greeting of its own).
	function withoutSkipped(st, result) {
		var skip = (st.root.getAttribute("data-skip-rules") || "").split(" ").filter(Boolean);
		if (!skip.length || !result || !result.findings) return result;
		result.findings = result.findings.filter(function (f) { return skip.indexOf(f.rule) < 0; });
		return result;
	}

	function lintFailed(st, status) {
		st.failure = status === 401 ? "session" : "unavailable";
		setState(st, "error");
		renderPanel(st);
		settleWaiters(st);
		if (status === 401) retryLint(st, LINT_RETRY * 4); // the agent may sign in again in another tab
		else if (status === 429 || status >= 500 || !status) retryLint(st, LINT_RETRY);
	}

	// retryLint tries again later without claiming a result is on its way: the state stays "error".
	function retryLint(st, delay) {
		clearTimeout(st.timer);
		st.timer = setTimeout(function () { lint(st); }, delay);
	}

	// applyResult takes a lint answer for exactly the text on screen and shows it everywhere.
	function applyResult(st, text, result, seq) {
		st.failure = "";
		var toUnit = result ? byteToUnit(text) : null;
		var seen = {};
		st.shown = result ? (result.findings || []).map(function (f) {
			var id = f.rule + "\u0000" + f.text;
			seen[id] = (seen[id] || 0) + 1;
			return { key: findingKey(st, id + "\u0000" + seen[id]), f: f, start: toUnit(f.start), end: toUnit(f.end), stale: false, mark: null };
		}) : [];
		st.result = result ? {
			text: text, lang: result.lang, score: result.score,
			positives: (result.positives || []).map(function (p) { return { p: p, start: toUnit(p.start), end: toUnit(p.end) }; })
		} : (isNote(st) ? null : { text: text, empty: true, positives: [] });
		if (result || !isNote(st)) matchMarks(st);
		paint(st);
		renderPanel(st);
		updateGate(st);
		st.root.setAttribute("data-lint-seq", String(seq));
		st.root.setAttribute("data-linted-at", performance.now().toFixed(1));
		setState(st, "idle");
		settleWaiters(st);
		st.root.dispatchEvent(new CustomEvent("coach:linted", { bubbles: true, detail: { seq: seq, result: result } }));
	}

	// findingKey names a finding by rule, text and occurrence, so it keeps its list item across answers.
	function findingKey(st, id) {
		if (!st.keys[id]) st.keys[id] = "f" + (++st.keyCount);
		return st.keys[id];
	}

	// fresh reports whether the shown result was computed for the text on screen.
	function fresh(st) {
		return !!st.result && st.result.text === st.area.value && !st.ctrl && !st.timer;
	}

	// waitForLint resolves once the text on screen has been coached (or the coach failed).
	function waitForLint(st) {
		if (fresh(st) || isNote(st)) return Promise.resolve();
		return new Promise(function (resolve) {
			st.waiters.push(resolve);
			if (!st.ctrl) lint(st);
		});
	}

	function settleWaiters(st) {
		var w = st.waiters;
		st.waiters = [];
		w.forEach(function (resolve) { resolve(); });
	}

	// shift keeps the marks on their words while the agent types, until the next answer arrives.
	function shift(st, before, after) {
		if (before == null || before === after) return;
		var p = 0, max = Math.min(before.length, after.length);
		while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
		var s = 0, maxS = Math.min(before.length, after.length) - p;
		while (s < maxS && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
		var oldEnd = before.length - s, delta = after.length - before.length;
		st.shown.forEach(function (v) {
			if (v.end <= p) return;
			if (v.start >= oldEnd) { v.start += delta; v.end += delta; return; }
			v.stale = true;
		});
	}

	function setNote(st, note) {
		st.root.classList.toggle("is-note", note);
		if (note) {
			if (st.ctrl) st.ctrl.abort();
			st.ctrl = null;
			clearTimeout(st.timer);
			st.timer = 0;
			st.seq++;
			st.shown = [];
			st.result = null;
			paint(st);
			renderPanel(st);
			closeGate(st.form);
			setState(st, "idle");
			settleWaiters(st);
		} else {
			lint(st);
		}
	}

	// ---------- the highlight layer ----------

	function covers(v, a, b) {
		return !v.stale && v.start <= a && v.end >= b && v.end > v.start;
	}

	// winner picks the one finding a stretch of text is underlined for: the innermost, undismissed first.
	function winner(st, a, b) {
		var best = null;
		st.shown.forEach(function (v) {
			if (!covers(v, a, b) || WIDE_RULES[v.f.rule]) return;
			if (!best || better(v, best)) best = v;
		});
		return best;
	}

	function better(v, w) {
		if (!!v.mark !== !!w.mark) return !v.mark;
		var lv = v.end - v.start, lw = w.end - w.start;
		if (lv !== lw) return lv < lw;
		return (SEVERITY[v.f.severity] || 0) > (SEVERITY[w.f.severity] || 0);
	}

	function paint(st) {
		var text = st.area.value;
		st.painted = text;
		if (!st.backdrop) return;
		var cuts = [0, text.length];
		st.shown.forEach(function (v) {
			if (!v.stale) cuts.push(Math.max(0, Math.min(text.length, v.start)), Math.max(0, Math.min(text.length, v.end)));
		});
		cuts.sort(function (x, y) { return x - y; });
		// The pointed-at finding lights up its whole span; the underlines inside it stay the innermost ones.
		var active = st.active ? findingByKey(st, st.active) : null;
		var frag = document.createDocumentFragment(), last = null, lastId = null;
		for (var i = 0; i + 1 < cuts.length; i++) {
			var a = cuts[i], b = cuts[i + 1];
			if (a >= b) continue;
			var chunk = text.slice(a, b), lit = !!active && covers(active, a, b);
			var v = winner(st, a, b) || (lit ? active : null);
			var id = v ? v.key + (lit ? "+" : "") : null;
			if (v && last && lastId === id) { last.appendChild(document.createTextNode(chunk)); continue; }
			if (!v) {
				frag.appendChild(document.createTextNode(chunk));
				last = lastId = null;
				continue;
			}
			last = make("mark", "coach-mark sev-" + v.f.severity + (lit ? " is-active lit-" + active.f.severity : "") + (v.mark ? " is-dismissed" : ""), chunk);
			last.setAttribute("data-rule", v.f.rule);
			last.setAttribute("data-key", v.key);
			lastId = id;
			frag.appendChild(last);
		}
		// A final empty line has no height in a div; the zero-width space gives it one, as the textarea has.
		frag.appendChild(document.createTextNode("\u200b"));
		st.backdrop.replaceChildren(frag);
		fitBackdrop(st);
	}

	// fitBackdrop lays the mirror exactly over the textarea's text box: same box, type, wrapping and scroll.
	function fitBackdrop(st) {
		var a = st.area, b = st.backdrop;
		if (!b || !a.isConnected) return;
		var cs = getComputedStyle(a);
		for (var i = 0; i < MIRRORED.length; i++) b.style[MIRRORED[i]] = cs[MIRRORED[i]];
		var borders = parseFloat(cs.borderLeftWidth) + parseFloat(cs.borderRightWidth);
		var scrollbar = Math.max(0, a.offsetWidth - a.clientWidth - borders);
		b.style.paddingRight = (parseFloat(cs.paddingRight) + scrollbar) + "px";
		b.style.width = a.offsetWidth + "px";
		b.style.height = a.offsetHeight + "px";
		b.style.top = a.offsetTop + "px";
		b.style.left = a.offsetLeft + "px";
		b.scrollTop = a.scrollTop;
		b.scrollLeft = a.scrollLeft;
	}

	function onResize(entries) {
		entries.forEach(function (e) {
			var st = byArea.get(e.target);
			if (st) fitBackdrop(st);
		});
	}

	// setActive records who points at a finding (hover, focused, pin); the latest pointer still pointing wins.
	function setActive(st, key, by) {
		if (!st) return;
		st.pointers = st.pointers.filter(function (p) { return p.by !== by; });
		if (key) st.pointers.unshift({ by: by, key: key });
		var active = st.pointers.length ? st.pointers[0].key : null;
		if (active === st.active) return;
		st.active = active;
		paint(st);
		Array.prototype.forEach.call(st.list.children, function (li) {
			li.classList.toggle("is-active", li.getAttribute("data-key") === active);
		});
	}

	// ---------- the panel ----------

	function renderPanel(st) {
		var res = st.result, note = isNote(st);
		st.panel.hidden = note;
		st.panel.classList.toggle("is-stale", !!st.failure);
		var band = "";
		if (res && !res.empty && typeof res.score === "number") {
			band = res.score >= 80 ? "good" : res.score >= 50 ? "fair" : "poor";
			st.score.textContent = str(st, "coach.score", { score: res.score });
			st.score.setAttribute("data-band", band);
		}
		st.score.hidden = !band;
		// The language is worth a line only when the coach chose it.
		var detected = res && res.lang && !res.empty && lang(st) === "auto";
		st.langUsed.hidden = !detected;
		st.langUsed.textContent = detected ? str(st, "coach.lang_detected", { lang: str(st, "coach.lang." + res.lang) }) : "";
		var status = "", statusKind = "";
		if (st.failure === "session") { status = str(st, "coach.session_ended"); statusKind = "error"; }
		else if (st.failure) { status = str(st, "coach.unavailable"); statusKind = "error"; }
		else if (!res || res.empty || !st.area.value.trim()) status = str(st, "coach.reading");
		else if (!st.shown.length) { status = str(st, "coach.clean"); statusKind = "clean"; }
		st.status.textContent = status;
		st.status.hidden = !status;
		st.status.setAttribute("data-kind", statusKind);
		renderFindings(st);
		renderPositives(st);
	}

	function ordered(st) {
		return st.shown.slice().sort(function (a, b) {
			return (SEVERITY[b.f.severity] || 0) - (SEVERITY[a.f.severity] || 0) || a.start - b.start;
		});
	}

	// renderFindings updates the list in place, so focus stays put and a screen reader hears only new findings.
	function renderFindings(st) {
		var list = st.list, existing = {};
		Array.prototype.forEach.call(list.children, function (li) { existing[li.getAttribute("data-key")] = li; });
		var ref = list.firstElementChild;
		ordered(st).forEach(function (v) {
			var li = existing[v.key];
			delete existing[v.key];
			var sig = JSON.stringify([v.f.severity, v.f.message, v.f.suggestions, v.mark && v.mark.reason, !!v.mark]);
			if (!li) li = make("li");
			if (li._sig !== sig) {
				li._sig = sig;
				buildFinding(st, li, v);
			}
			li.classList.toggle("is-active", v.key === st.active);
			if (li === ref) ref = ref.nextElementSibling;
			else list.insertBefore(li, ref);
		});
		Object.keys(existing).forEach(function (k) {
			var li = existing[k], next = li.nextElementSibling || li.previousElementSibling;
			var hadFocus = li.contains(document.activeElement);
			li.remove();
			if (hadFocus) (next && next.isConnected ? next : st.area).focus({ preventScroll: true });
		});
	}

	function buildFinding(st, li, v) {
		var f = v.f;
		li.className = "coach-finding sev-" + f.severity + (v.mark ? " is-marked" : "");
		li.setAttribute("data-key", v.key);
		li.setAttribute("data-rule", f.rule);
		li.setAttribute("data-severity", f.severity);
		li.tabIndex = 0;
		var head = make("div", "coach-finding-head");
		head.appendChild(make("span", "coach-sev", str(st, "coach.severity." + f.severity)));
		head.appendChild(make("span", "coach-rule", st.t["coach.rule." + f.rule] || f.rule));
		var parts = [head, make("q", "coach-quote", f.text), make("p", "coach-message", f.message)];
		var sugg = make("div", "coach-suggestions");
		(f.suggestions || []).forEach(function (s, i) {
			if (s.replace != null) {
				var b = button("coach-apply", s.label);
				b.setAttribute("data-index", String(i));
				sugg.appendChild(b);
			} else {
				sugg.appendChild(make("p", "coach-advice", s.label));
			}
		});
		if (sugg.firstChild) parts.push(sugg);
		parts.push(v.mark ? markedFoot(st, v.mark) : notHelpfulFoot(st));
		li.replaceChildren.apply(li, parts);
	}

	function notHelpfulFoot(st) {
		var foot = make("div", "coach-finding-foot");
		foot.appendChild(button("coach-not-helpful", str(st, "coach.not_helpful")));
		return foot;
	}

	function markedFoot(st, mark) {
		var foot = make("div", "coach-finding-foot");
		var note = make("span", "coach-marked", str(st, "coach.marked"));
		if (mark.reason) note.appendChild(make("span", "coach-marked-reason", " · " + mark.reason));
		foot.appendChild(note);
		foot.appendChild(button("coach-unmark", str(st, "coach.unmark")));
		return foot;
	}

	function renderPositives(st) {
		var items = (st.result && st.result.positives) || [];
		st.positivesBlock.hidden = !items.length;
		st.positives.replaceChildren.apply(st.positives, items.map(function (x) {
			var li = make("li", "coach-positive");
			li.setAttribute("data-kind", x.p.kind);
			li.appendChild(make("span", "coach-positive-label", x.p.label));
			if (x.p.text) li.appendChild(make("q", "coach-quote", x.p.text));
			return li;
		}));
	}

	function findingByKey(st, key) {
		for (var i = 0; i < st.shown.length; i++) if (st.shown[i].key === key) return st.shown[i];
		return null;
	}

	// ---------- applying a suggestion ----------

	// applySuggestion rewrites the span through the editing commands, so Ctrl+Z takes it back.
	function applySuggestion(st, key, index) {
		var v = findingByKey(st, key);
		var s = v && v.f.suggestions && v.f.suggestions[index];
		if (!s || s.replace == null) return false;
		var a = st.area, before = a.value;
		if (v.stale || before.slice(v.start, v.end) !== v.f.text) { lint(st); return false; }
		var start = v.start, end = v.end;
		if (s.replace === "") {
			// Removing a word takes one space around it along, so no double space is left behind.
			if (before.charAt(end) === " " && (start === 0 || /\s/.test(before.charAt(start - 1)))) end++;
			else if (before.charAt(start - 1) === " " && (end === before.length || /[\s.,!?;:]/.test(before.charAt(end)))) start--;
		}
		var expected = before.slice(0, start) + s.replace + before.slice(end);
		a.focus();
		a.setSelectionRange(start, end);
		try {
			document.execCommand(s.replace === "" ? "delete" : "insertText", false, s.replace);
		} catch (e) { /* fall back below */ }
		if (a.value === before) {
			a.setRangeText(s.replace, start, end, "end");
			a.dispatchEvent(new Event("input", { bubbles: true }));
		}
		if (a.value === expected) {
			var caret = start + s.replace.length;
			a.setSelectionRange(caret, caret);
		}
		return true;
	}

	// ---------- "not helpful here" ----------

	function readMarks(form) {
		var field = form && form.querySelector("input[name=coach_marks]");
		if (!field || !field.value) return [];
		try {
			var marks = JSON.parse(field.value);
			return Array.isArray(marks) ? marks : [];
		} catch (e) {
			return [];
		}
	}

	function writeMarks(st) {
		var field = st.form && st.form.querySelector("input[name=coach_marks]");
		if (!field) return;
		field.value = st.marks.length ? JSON.stringify(st.marks.map(function (m) {
			return { rule: m.rule, start: m.start, end: m.end, text: m.text, reason: m.reason || "" };
		})) : "";
	}

	// matchMarks keeps a mark on the finding with its rule and text nearest where it was, and drops the rest.
	function matchMarks(st) {
		st.shown.forEach(function (v) { v.mark = null; });
		st.marks = st.marks.filter(function (m) {
			var best = null;
			st.shown.forEach(function (v) {
				if (v.mark || v.f.rule !== m.rule || v.f.text !== m.text) return;
				if (!best || Math.abs(v.f.start - m.start) < Math.abs(best.f.start - m.start)) best = v;
			});
			if (!best) return false;
			best.mark = m;
			m.start = best.f.start;
			m.end = best.f.end;
			return true;
		});
		writeMarks(st);
	}

	function askWhy(st, li) {
		var foot = $(li, ".coach-finding-foot");
		var form = make("div", "coach-finding-foot coach-why");
		var label = make("label", "coach-why-label");
		label.appendChild(make("span", null, str(st, "coach.not_helpful_reason")));
		var input = make("input", "coach-why-reason");
		input.type = "text";
		input.maxLength = 500;
		input.autocomplete = "off";
		label.appendChild(input);
		form.appendChild(label);
		form.appendChild(button("btn btn-small coach-why-confirm", str(st, "coach.not_helpful_confirm")));
		form.appendChild(button("btn btn-small btn-ghost coach-why-cancel", str(st, "coach.cancel")));
		foot.replaceWith(form);
		input.focus();
	}

	function cancelWhy(st, li) {
		var form = $(li, ".coach-why");
		if (form) form.replaceWith(notHelpfulFoot(st));
		li.focus();
	}

	function confirmWhy(st, li) {
		var v = findingByKey(st, li.getAttribute("data-key"));
		var input = $(li, ".coach-why-reason");
		if (!v) return;
		var mark = { rule: v.f.rule, start: v.f.start, end: v.f.end, text: v.f.text, reason: input ? input.value.trim().slice(0, 500) : "" };
		st.marks.push(mark);
		v.mark = mark;
		writeMarks(st);
		paint(st);
		renderFindings(st);
		li.focus();
	}

	function unmark(st, li) {
		var v = findingByKey(st, li.getAttribute("data-key"));
		if (!v || !v.mark) return;
		st.marks = st.marks.filter(function (m) { return m !== v.mark; });
		v.mark = null;
		writeMarks(st);
		paint(st);
		renderFindings(st);
		li.focus();
	}

	// ---------- the send gate ----------

	function errorsOf(st) {
		return ordered(st).filter(function (v) { return v.f.severity === "error"; });
	}

	function gateReason(form) {
		var input = form && form.querySelector("input[name=override_reason]");
		return input ? input.value.trim() : "";
	}

	function openGate(st, errors, missingReason) {
		var gate = st.form && $(st.form, ".send-gate");
		if (!gate) return;
		fillGate(st, gate, errors);
		gate.hidden = false;
		setReasonError(st, gate, missingReason ? str(st, "composer.gate_reason_missing") : "");
		var input = $(gate, "input[name=override_reason]");
		gate.scrollIntoView({ block: "nearest" });
		if (input) input.focus();
	}

	function fillGate(st, gate, errors) {
		var list = $(gate, ".send-gate-findings");
		list.replaceChildren.apply(list, errors.map(function (v) {
			var li = make("li", "send-gate-finding");
			li.setAttribute("data-rule", v.f.rule);
			li.setAttribute("data-severity", v.f.severity);
			li.setAttribute("data-key", v.key);
			li.appendChild(make("strong", "send-gate-rule", st.t["coach.rule." + v.f.rule] || v.f.rule));
			li.appendChild(make("q", "send-gate-quote", v.f.text));
			li.appendChild(make("span", "send-gate-message", v.f.message));
			return li;
		}));
	}

	function setReasonError(st, gate, message) {
		var input = $(gate, "input[name=override_reason]");
		var err = $(gate, "#err-override_reason");
		if (!message) {
			if (err) err.remove();
			if (input) input.removeAttribute("aria-invalid");
			return;
		}
		if (!err) {
			err = make("p", "field-error");
			err.id = "err-override_reason";
			err.setAttribute("role", "alert");
			$(gate, ".send-gate-reason").after(err);
		}
		err.textContent = message;
		if (input) input.setAttribute("aria-invalid", "true");
	}

	function closeGate(form) {
		var gate = form && $(form, ".send-gate");
		if (gate) gate.hidden = true;
	}

	// updateGate keeps an open gate's list true to the latest answer and closes it once nothing stops the reply.
	function updateGate(st) {
		var gate = st.form && $(st.form, ".send-gate");
		if (!gate || gate.hidden || !st.result || st.result.text !== st.area.value) return;
		var errors = errorsOf(st);
		if (!errors.length) { closeGate(st.form); return; }
		fillGate(st, gate, errors);
	}

	function keepEditing(st) {
		var errors = errorsOf(st);
		closeGate(st.form);
		var a = st.area;
		a.focus();
		if (errors.length) {
			a.setSelectionRange(errors[0].start, errors[0].end);
			setActive(st, errors[0].key, "pin");
		}
	}

	// onSubmit runs before htmx: a reply with an unexcused error stops here, and a send waits for a pending lint.
	function onSubmit(e) {
		var form = e.target;
		var root = form && form.querySelector && form.querySelector("[data-coach]");
		if (!root || e.defaultPrevented) return;
		var st = ensureEditor(root), cs = composers.get(form);
		if (form._coachPass) {
			form._coachPass = false;
			beforeSend(st, cs);
			return;
		}
		if (form._coachHold) { // a second press while the first waits would send twice
			e.preventDefault();
			e.stopPropagation();
			return;
		}
		var gated = !!$(form, ".send-gate") && !isNote(st);
		var holds = [];
		if (gated && !fresh(st)) holds.push(waitForLint(st));
		if (cs && cs.inflight) holds.push(cs.inflight);
		var submitter = e.submitter;
		var decide = function () {
			if (gated && st.result && st.result.text === st.area.value && errorsOf(st).length && !gateReason(form)) {
				var gate = $(form, ".send-gate");
				var asked = (submitter && submitter.classList.contains("send-anyway")) || (gate && !gate.hidden);
				openGate(st, errorsOf(st), asked);
				return false;
			}
			return true;
		};
		if (!holds.length) {
			if (decide()) { beforeSend(st, cs); return; }
			e.preventDefault();
			e.stopPropagation();
			return;
		}
		e.preventDefault();
		e.stopPropagation();
		form._coachHold = true;
		timeout(Promise.all(holds), GATE_WAIT).then(function () {
			form._coachHold = false;
			if (!decide() || !form.isConnected) return;
			form._coachPass = true;
			if (submitter && form.contains(submitter)) form.requestSubmit(submitter);
			else form.requestSubmit();
		});
	}

	function beforeSend(st, cs) {
		writeMarks(st);
		if (!cs) return;
		var rev = revs[cs.ticket];
		var field = cs.form.querySelector("input[name=draft_rev]");
		if (field && rev) field.value = String(Math.max(rev, Number(field.value) || 0));
		cs.sending = true;
		clearTimeout(cs.timer);
		clearTimeout(cs.retryTimer);
	}

	// ---------- drafts ----------

	function ensureComposer(form) {
		var cs = composers.get(form);
		if (cs || !form.getAttribute("data-draft-url")) return cs;
		var area = form.querySelector("textarea[name=body]");
		if (!area) return null;
		var ticket = form.getAttribute("data-ticket") || "";
		cs = {
			form: form, area: area, ticket: ticket, url: form.getAttribute("data-draft-url"),
			key: "coachdesk.draft." + (form.getAttribute("data-user-id") || "0") + "." + ticket,
			status: $(form, ".draft-status"), saved: null, timer: 0, retryTimer: 0, retry: 0, inflight: null, again: false, sending: false
		};
		composers.set(form, cs);
		var serverRev = Number(form.getAttribute("data-draft-rev")) || 0;
		revs[ticket] = Math.max(revs[ticket] || 0, serverRev);
		cs.saved = snapshot(cs);
		// Text the server kept is a saved draft; say so, so the agent knows it is not lost.
		if (serverRev > 0 && area.value.trim() !== "") showDraft(cs, "kept");
		restoreLocal(cs, serverRev);
		initLive(form);
		focusRefused(form);
		return cs;
	}

	// focusRefused puts the agent back where a refused send needs them: the reason, or the text.
	function focusRefused(form) {
		var gate = $(form, ".send-gate");
		var reason = gate && !gate.hidden && $(gate, "input[name=override_reason]");
		if (reason) {
			reason.focus({ preventScroll: true });
			gate.scrollIntoView({ block: "nearest" });
			return;
		}
		if ($(form, ".collision-warning[data-source=server], .field-error")) {
			var area = $(form, "textarea[name=body]");
			area.focus({ preventScroll: true });
			area.setSelectionRange(area.value.length, area.value.length);
		}
	}

	function snapshot(cs) {
		var kind = cs.form.querySelector("input[name=kind]:checked");
		var select = cs.form.querySelector("select[name=lang]");
		return { body: cs.area.value, kind: kind ? kind.value : "reply", lang: select ? select.value : "auto" };
	}

	function changed(cs) {
		var now = snapshot(cs), s = cs.saved;
		return !s || now.body !== s.body || now.kind !== s.kind || now.lang !== s.lang;
	}

	function nextRev(cs) {
		var rev = Math.max(Date.now(), (revs[cs.ticket] || 0) + 1);
		revs[cs.ticket] = rev;
		return rev;
	}

	function readLocal(cs) {
		try { return JSON.parse(window.localStorage.getItem(cs.key) || "null"); } catch (e) { return null; }
	}

	function writeLocal(cs, draft) {
		try { window.localStorage.setItem(cs.key, JSON.stringify(draft)); } catch (e) { /* storage full or off: the server copy remains */ }
	}

	function dropLocal(cs, upTo) {
		var copy = readLocal(cs);
		if (copy && copy.rev <= upTo) {
			try { window.localStorage.removeItem(cs.key); } catch (e) { /* nothing to keep */ }
		}
	}

	// restoreLocal brings back text this tab could not save (signed out, offline) when it is newer than the server's.
	function restoreLocal(cs, serverRev) {
		var copy = readLocal(cs);
		if (!copy) return;
		if (!(copy.rev > serverRev) || !copy.body || copy.body === cs.area.value) {
			dropLocal(cs, Math.max(serverRev, copy.body === cs.area.value ? copy.rev : 0));
			return;
		}
		cs.area.value = copy.body;
		var radio = copy.kind && cs.form.querySelector("input[name=kind][value=" + (copy.kind === "note" ? "note" : "reply") + "]");
		if (radio && !radio.checked) {
			radio.checked = true;
			radio.dispatchEvent(new Event("change", { bubbles: true }));
		}
		var select = cs.form.querySelector("select[name=lang]");
		if (select && copy.lang && select.querySelector("option[value='" + copy.lang + "']")) select.value = copy.lang;
		revs[cs.ticket] = Math.max(revs[cs.ticket] || 0, copy.rev);
		showDraft(cs, "restored");
		scheduleSave(cs, 0);
	}

	function scheduleSave(cs, delay) {
		if (cs.sending) return;
		clearTimeout(cs.timer);
		cs.timer = setTimeout(function () { saveDraft(cs, false); }, delay == null ? DRAFT_DELAY : delay);
	}

	function saveDraft(cs, leaving) {
		clearTimeout(cs.timer);
		if (cs.sending || !changed(cs)) return;
		if (cs.inflight && !leaving) { cs.again = true; return; }
		var draft = snapshot(cs);
		draft.rev = nextRev(cs);
		writeLocal(cs, draft);
		if (!leaving) showDraft(cs, "saving");
		var request = function (keepalive) {
			return fetch(cs.url, {
				method: "PUT",
				credentials: "same-origin",
				keepalive: keepalive,
				headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrfToken(cs.form) },
				body: JSON.stringify(draft)
			});
		};
		var sent = leaving ? request(true).catch(function () { return request(false); }) : request(false);
		var done = sent.then(function (res) {
			if (!res.ok) throw { status: res.status };
			return res.json();
		}).then(function (answer) {
			// saved=false means a newer revision is stored already (another tab): nothing is lost either way.
			cs.saved = { body: draft.body, kind: draft.kind, lang: draft.lang };
			cs.retry = 0;
			dropLocal(cs, draft.rev);
			showDraft(cs, "saved", answer && answer.updated_at);
		}).catch(function (err) {
			var status = err && err.status;
			showDraft(cs, status === 401 ? "session" : status ? "failed" : "offline");
			cs.retry = Math.min(DRAFT_RETRY_MAX, cs.retry ? cs.retry * 2 : 2000);
			clearTimeout(cs.retryTimer);
			cs.retryTimer = setTimeout(function () { saveDraft(cs, false); }, cs.retry);
		});
		cs.inflight = done.then(function () {
			cs.inflight = null;
			if (cs.again) { cs.again = false; scheduleSave(cs, 0); }
		});
	}

	function showDraft(cs, state, when) {
		if (!cs.status) return;
		var st = editorOf(cs.area);
		var ids = { saving: "composer.draft_saving", saved: "composer.draft_saved", offline: "composer.draft_offline",
			failed: "composer.draft_failed", session: "composer.draft_session", restored: "composer.draft_restored",
			kept: "composer.draft_kept" };
		cs.status.textContent = st ? str(st, ids[state], { time: clockTime(when) }) : "";
		cs.status.setAttribute("data-state", state);
		if (state === "session" || state === "offline" || state === "failed") cs.status.setAttribute("role", "alert");
		else cs.status.removeAttribute("role");
	}

	function saveAllLeaving() {
		document.querySelectorAll("form#composer").forEach(function (form) {
			var cs = composers.get(form);
			if (cs) saveDraft(cs, true);
		});
	}

	// ---------- the live ticket ----------

	function initLive(form) {
		var url = form.getAttribute("data-events-url");
		if (!url || typeof EventSource !== "function") return;
		if (live && live.url === url && live.es.readyState !== EventSource.CLOSED) {
			showViewers();
			return;
		}
		stopLive();
		var es = new EventSource(url);
		live = { url: url, es: es, threadUrl: form.getAttribute("data-thread-url"), viewers: [], opened: false, timer: 0 };
		es.addEventListener("open", function () {
			if (live && live.es === es && live.opened) refreshThread(); // what happened while the stream was down
			if (live && live.es === es) live.opened = true;
		});
		es.addEventListener("message", onLiveMessage);
		es.addEventListener("ticket", function () { refreshThread(); });
		es.addEventListener("presence", function (e) {
			var data = parse(e.data);
			if (!live || !data) return;
			live.viewers = data.viewers || [];
			showViewers();
		});
	}

	function stopLive() {
		if (!live) return;
		live.es.close();
		clearTimeout(live.timer);
		live = null;
	}

	function parse(s) {
		try { return JSON.parse(s); } catch (e) { return null; }
	}

	function onLiveMessage(e) {
		var data = parse(e.data), form = document.getElementById("composer");
		refreshThread();
		if (!data || !form) return;
		if (String(data.actor_id) === form.getAttribute("data-user-id") || (data.kind && data.kind !== "reply")) return;
		var st = editorOf($(form, "textarea[name=body]"));
		if (!st) return;
		var text = data.actor_id ? str(st, "composer.live_agent", { name: data.actor_name || "" }) : str(st, "composer.live_customer");
		var notice = $(form, ".collision-warning[data-source=live]");
		if (!notice) {
			notice = make("div", "collision-warning");
			notice.setAttribute("data-source", "live");
			notice.setAttribute("role", "status");
			notice.appendChild(make("span", "collision-text"));
			var close = button("btn btn-ghost btn-small collision-dismiss", "×");
			close.setAttribute("aria-label", str(st, "composer.dismiss"));
			notice.appendChild(close);
			$(form, ".composer-tabs").after(notice);
		}
		$(notice, ".collision-text").textContent = text;
	}

	// refreshThread refetches the messages and keeps the composer where the agent's eyes are.
	function refreshThread() {
		if (!live || !live.threadUrl || !window.htmx || !document.getElementById("thread")) return;
		clearTimeout(live.timer);
		live.timer = setTimeout(function () {
			var form = document.getElementById("composer");
			var top = form ? form.getBoundingClientRect().top : 0;
			var inView = form && top < window.innerHeight && form.getBoundingClientRect().bottom > 0;
			// A sidebar the agent is editing (half-typed tags) is left alone; the next refresh brings it up to date.
			var editing = document.activeElement && document.activeElement.closest && document.activeElement.closest("#properties");
			var swap = window.htmx.ajax("GET", live.threadUrl + (editing ? "?sidebar=0" : ""), { target: "#thread", swap: "outerHTML" });
			if (swap && swap.then && inView) swap.then(function () {
				var moved = form.getBoundingClientRect().top - top;
				if (Math.abs(moved) > 1) window.scrollBy(0, moved);
			});
		}, THREAD_DELAY);
	}

	function showViewers() {
		var form = document.getElementById("composer");
		var line = form && $(form, ".viewers");
		var st = form && editorOf($(form, "textarea[name=body]"));
		if (!line || !st || !live) return;
		var names = live.viewers.map(function (v) { return v.name; }).filter(Boolean);
		line.hidden = !names.length;
		line.textContent = names.length ? str(st, "composer.viewers", { names: names.join(", ") }) : "";
	}

	// ---------- wiring ----------

	function onInput(e) {
		var t = e.target;
		if (!t.matches || !t.matches("[data-coach] textarea")) return;
		var st = editorOf(t);
		if (!st) return;
		st.pointers = st.pointers.filter(function (p) { return p.by !== "pin"; }); // the gate's pick lasts until the agent edits
		st.active = st.pointers.length ? st.pointers[0].key : null;
		shift(st, st.painted, t.value);
		paint(st);
		if (!isNote(st)) scheduleLint(st, LINT_DELAY);
		var cs = st.form && composers.get(st.form);
		if (cs) scheduleSave(cs);
	}

	function onChange(e) {
		var t = e.target, form = t.form;
		if (!form || !t.matches) return;
		var isKind = t.matches("input[name=kind]"), isLang = t.matches("select[name=lang]");
		if (!isKind && !isLang) return;
		form.querySelectorAll("[data-coach]").forEach(function (root) {
			var st = ensureEditor(root);
			if (!st) return;
			if (isKind) setNote(st, isNote(st));
			else if (!isNote(st)) lint(st);
		});
		var cs = composers.get(form);
		if (cs) scheduleSave(cs);
	}

	function focusFinding(st, which) {
		var items = st.list.querySelectorAll(".coach-finding");
		if (!items.length) return false;
		var li = which === "last" ? items[items.length - 1] : items[0];
		li.focus();
		li.scrollIntoView({ block: "nearest" });
		return true;
	}

	function onKeydown(e) {
		var t = e.target;
		if (!t.closest) return;
		if (t.matches("[data-coach] textarea")) {
			var jump = e.key === "F8" || (e.altKey && !e.ctrlKey && !e.metaKey && e.code === "KeyJ");
			if (jump && focusFinding(editorOf(t), e.shiftKey ? "last" : "first")) e.preventDefault();
			return;
		}
		if (t.matches(".coach-why-reason")) {
			var li0 = t.closest(".coach-finding"), st0 = editorOf(t);
			if (e.key === "Enter") { e.preventDefault(); confirmWhy(st0, li0); }
			else if (e.key === "Escape") { e.preventDefault(); cancelWhy(st0, li0); }
			return;
		}
		if (t.matches(".send-gate input[name=override_reason]") && e.key === "Escape") {
			keepEditing(editorOf($(t.form, "[data-coach] textarea")));
			return;
		}
		var li = t.closest(".coach-finding");
		if (!li) return;
		var st = editorOf(li);
		if (e.key === "Escape") {
			e.preventDefault();
			setActive(st, null, "focused");
			st.area.focus();
			return;
		}
		if (t !== li) return;
		if (e.key === "ArrowDown" || e.key === "ArrowUp") {
			e.preventDefault();
			var next = e.key === "ArrowDown" ? li.nextElementSibling : li.previousElementSibling;
			if (next) next.focus();
		} else if (e.key === "Home" || e.key === "End") {
			e.preventDefault();
			focusFinding(st, e.key === "End" ? "last" : "first");
		} else if (e.key === "Enter") {
			e.preventDefault();
			li._enter = true; // applied on keyup, so the key's own character never lands in the textarea
		}
	}

	function onKeyup(e) {
		var li = e.target;
		if (e.key !== "Enter" || !li.matches || !li.matches(".coach-finding") || !li._enter) return;
		li._enter = false;
		var apply = $(li, ".coach-apply");
		if (apply) applySuggestion(editorOf(li), li.getAttribute("data-key"), Number(apply.getAttribute("data-index")));
	}

	function onClick(e) {
		var t = e.target.closest && e.target.closest("button");
		if (!t) return;
		var st = editorOf(t);
		var li = t.closest(".coach-finding");
		if (st && li) {
			if (t.matches(".coach-apply")) applySuggestion(st, li.getAttribute("data-key"), Number(t.getAttribute("data-index")));
			else if (t.matches(".coach-not-helpful")) askWhy(st, li);
			else if (t.matches(".coach-why-confirm")) confirmWhy(st, li);
			else if (t.matches(".coach-why-cancel")) cancelWhy(st, li);
			else if (t.matches(".coach-unmark")) unmark(st, li);
			return;
		}
		if (t.matches(".send-gate-keep") && t.form) {
			var ed = editorOf($(t.form, "[data-coach] textarea"));
			if (ed) keepEditing(ed);
		} else if (t.matches(".collision-dismiss")) {
			var notice = t.closest(".collision-warning");
			if (notice) notice.remove();
		}
	}

	function pointAt(e) {
		var t = e.target;
		var li = t.closest && t.closest(".coach-finding");
		if (li) { setActive(editorOf(li), li.getAttribute("data-key"), "hover"); return; }
		if (!t.matches || !t.matches("[data-coach] textarea")) return;
		var st = byArea.get(t);
		if (!st || st.frame) return;
		var x = e.clientX, y = e.clientY;
		st.frame = requestAnimationFrame(function () {
			st.frame = 0;
			var mark = null;
			document.elementsFromPoint(x, y).some(function (node) {
				if (node.classList && node.classList.contains("coach-mark")) { mark = node; return true; }
				return false;
			});
			setActive(st, mark ? mark.getAttribute("data-key") : null, "hover");
		});
	}

	function pointAway(e) {
		var t = e.target, into = e.relatedTarget;
		var from = t.closest && (t.closest(".coach-finding") || (t.matches("[data-coach] textarea") && t));
		if (!from || (into && from.contains(into))) return;
		setActive(editorOf(from), null, "hover");
	}

	function onFocusIn(e) {
		var li = e.target.closest && e.target.closest(".coach-finding");
		if (li) setActive(editorOf(li), li.getAttribute("data-key"), "focused");
	}

	function onFocusOut(e) {
		var li = e.target.closest && e.target.closest(".coach-finding");
		if (li && !(e.relatedTarget && li.contains(e.relatedTarget))) setActive(editorOf(li), null, "focused");
	}

	function onScroll(e) {
		var st = e.target && e.target.nodeType === 1 ? byArea.get(e.target) : null;
		if (st && st.backdrop) {
			st.backdrop.scrollTop = e.target.scrollTop;
			st.backdrop.scrollLeft = e.target.scrollLeft;
		}
	}

	function initWithin(node) {
		var scope = node && node.querySelectorAll ? node : document;
		observed = observed.filter(function (area) {
			if (!area.isConnected && resizes) resizes.unobserve(area);
			return area.isConnected;
		});
		var form = document.getElementById("composer");
		if (form) ensureComposer(form); // first, so a draft restored from this browser is what gets coached
		if (scope.matches && scope.matches("[data-coach]")) ensureEditor(scope);
		scope.querySelectorAll("[data-coach]").forEach(ensureEditor);
		if (form) showViewers();
	}

	document.addEventListener("input", onInput);
	document.addEventListener("change", onChange);
	document.addEventListener("keydown", onKeydown);
	document.addEventListener("keyup", onKeyup);
	document.addEventListener("click", onClick);
	document.addEventListener("mousemove", pointAt, { passive: true });
	document.addEventListener("mouseover", pointAt, { passive: true });
	document.addEventListener("mouseout", pointAway, { passive: true });
	document.addEventListener("focusin", onFocusIn);
	document.addEventListener("focusout", onFocusOut);
	document.addEventListener("scroll", onScroll, true);
	document.addEventListener("submit", onSubmit, true);
	document.addEventListener("htmx:load", function (e) { initWithin(e.target); });
	document.addEventListener("htmx:afterSettle", function (e) { initWithin(e.target); });
	// A thread refresh that was redirected (the session ended) must not swap the sign-in page into the thread.
	document.addEventListener("htmx:beforeSwap", function (e) {
		var d = e.detail, xhr = d && d.xhr;
		if (!live || !xhr || !d.target || d.target.id !== "thread" || !xhr.responseURL) return;
		if (new URL(xhr.responseURL).pathname !== new URL(live.threadUrl, location.href).pathname) d.shouldSwap = false;
	});
	// A send that never reached the server leaves the composer as it was: drafts carry on.
	document.addEventListener("htmx:afterRequest", function (e) {
		var cs = e.detail && e.detail.elt && composers.get(e.detail.elt);
		if (cs && !e.detail.successful) { cs.sending = false; scheduleSave(cs); }
	});
	document.addEventListener("visibilitychange", function () {
		if (document.visibilityState === "hidden") saveAllLeaving();
	});
	window.addEventListener("pagehide", function () {
		saveAllLeaving();
		stopLive();
	});
	window.addEventListener("pageshow", function (e) {
		var form = document.getElementById("composer");
		if (e.persisted && form) initLive(form); // the stream closed on pagehide; the page came back from the cache
	});
	window.addEventListener("online", function () {
		document.querySelectorAll("form#composer").forEach(function (form) {
			var cs = composers.get(form);
			if (cs && changed(cs)) scheduleSave(cs, 0);
		});
	});

	if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { initWithin(document); });
	else initWithin(document);
})();
