// Coachdesk's reply coach in the browser, for any [data-coach] field: marks behind the words as the
// agent types, the findings beside them, one-click rewrites and "not helpful here" marks. The ticket
// page's composer (composer.js) builds on the small API at the end, window.Coachdesk.coach.
// Plain JavaScript, loaded with defer. Listeners are delegated from document and every per-element
// set-up is idempotent (keyed by element), so content htmx swaps in needs no re-binding.
(function () {
	"use strict";

	var LINT_DELAY = 70; // ms after the last keystroke: the server answers in a few ms, so highlights land within ~150 ms
	var LINT_RETRY = 1500;
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
			langUsed: $(root, ".coach-lang-used"), summary: $(root, ".coach-summary"), positives: $(root, ".coach-positives"), positivesBlock: $(root, ".coach-positives-block"),
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

	function ruleName(st, rule) {
		return st.t["coach.rule." + rule] || rule;
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
		if (overLimit(st, text)) { // the server would refuse it: say so at once instead of "not answering"
			tooLong(st, text, seq);
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
			lintFailed(st, err && err.status, text);
		});
	}

	// withoutSkipped drops the rules this editor leaves out (a saved reply has no greeting of its own).
	function withoutSkipped(st, result) {
		var skip = (st.root.getAttribute("data-skip-rules") || "").split(" ").filter(Boolean);
		if (!skip.length || !result || !result.findings) return result;
		result.findings = result.findings.filter(function (f) { return skip.indexOf(f.rule) < 0; });
		return result;
	}

	function utf8Length(s) {
		return typeof TextEncoder === "function" ? new TextEncoder().encode(s).length : unescape(encodeURIComponent(s)).length;
	}

	// overLimit reports a text longer than the coach reads (data-max-bytes, the longest message there is).
	function overLimit(st, text) {
		var max = Number(st.root.getAttribute("data-max-bytes")) || 0;
		return max > 0 && utf8Length(text.trim()) > max;
	}

	// tooLong is the coach's answer to a text over the limit: no findings, and the panel says how long it may be.
	function tooLong(st, text, seq) {
		st.failure = "too_long";
		st.shown = [];
		st.result = null;
		paint(st);
		renderPanel(st);
		markAnswered(st, text, seq);
		settleWaiters(st);
	}

	function lintFailed(st, status, text) {
		if (status === 413) { // the server counts the text as too long: true of the text sent, perhaps not of the one on screen
			if (st.area.value === text) tooLong(st, text, st.seq);
			else scheduleLint(st, LINT_DELAY);
			return;
		}
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
		markAnswered(st, text, seq);
		settleWaiters(st);
		st.root.dispatchEvent(new CustomEvent("coach:linted", { bubbles: true, detail: { seq: seq, result: result } }));
	}

	// markAnswered is the page's signal that the coach has answered for a text: its round (data-lint-seq),
	// the length it read (data-lint-chars) and when (data-linted-at), with data-lint-state back at idle.
	function markAnswered(st, text, seq) {
		st.root.setAttribute("data-lint-seq", String(seq));
		st.root.setAttribute("data-lint-chars", String(text.length));
		st.root.setAttribute("data-linted-at", performance.now().toFixed(1));
		setState(st, "idle");
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
			st.root.dispatchEvent(new CustomEvent("coach:note", { bubbles: true })); // the field stops being coached
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
		else if (st.failure === "too_long") {
			status = str(st, "coach.too_long", { max: Math.floor((Number(st.root.getAttribute("data-max-bytes")) || 0) / 1024) });
			statusKind = "error";
		}
		else if (st.failure) { status = str(st, "coach.unavailable"); statusKind = "error"; }
		else if (!res || res.empty || !st.area.value.trim()) status = str(st, "coach.reading");
		else if (!st.shown.length) { status = str(st, "coach.clean"); statusKind = "clean"; }
		st.status.textContent = status;
		st.status.hidden = !status;
		st.status.setAttribute("data-kind", statusKind);
		renderFindings(st);
		renderPositives(st);
		renderSummary(st, band);
	}

	// count says n findings of a severity in the reader's grammar: the catalogue's one and other forms.
	function count(st, severity, n) {
		return str(st, "coach.count." + severity + (n === 1 ? ".one" : ".other"), { count: n });
	}

	// renderSummary fills the one line that stays in sight where the panel is below the text: score and counts.
	function renderSummary(st, band) {
		var line = st.summary;
		if (!line) return;
		var res = st.result;
		if (isNote(st) || !res || res.empty || !band) {
			line.hidden = true;
			return;
		}
		var n = { error: 0, warning: 0, suggestion: 0 };
		st.shown.forEach(function (v) { if (v.f.severity in n) n[v.f.severity]++; });
		var parts = [str(st, "coach.score", { score: res.score })];
		["error", "warning", "suggestion"].forEach(function (sev) { if (n[sev]) parts.push(count(st, sev, n[sev])); });
		if (!st.shown.length) parts.push(str(st, "coach.clean"));
		$(line, ".coach-summary-text").textContent = parts.join(" · ");
		line.setAttribute("data-band", band);
		line.setAttribute("data-errors", String(n.error));
		line.setAttribute("data-warnings", String(n.warning));
		line.setAttribute("data-suggestions", String(n.suggestion));
		line.hidden = false;
	}

	function ordered(st) {
		return st.shown.slice().sort(function (a, b) {
			return (SEVERITY[b.f.severity] || 0) - (SEVERITY[a.f.severity] || 0) || a.start - b.start;
		});
	}

	function errorsOf(st) {
		return ordered(st).filter(function (v) { return v.f.severity === "error"; });
	}

	// renderFindings updates the list in place, so focus stays put and a screen reader hears only new findings.
	function renderFindings(st) {
		var list = st.list, existing = {};
		Array.prototype.forEach.call(list.children, function (li) { existing[li.getAttribute("data-key")] = li; });
		var ref = list.firstElementChild;
		ordered(st).forEach(function (v) {
			var li = existing[v.key];
			delete existing[v.key];
			var sig = JSON.stringify([v.f.severity, !!v.f.demoted, v.f.message, v.f.suggestions, v.mark && v.mark.reason, !!v.mark]);
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
		head.appendChild(make("span", "coach-rule", ruleName(st, f.rule)));
		var parts = [head, make("q", "coach-quote", f.text), make("p", "coach-message", f.message)];
		// An error-level rule the send gate demoted: its precision fell below the admin's bar.
		li.toggleAttribute("data-demoted", !!f.demoted);
		if (f.demoted) parts.push(make("p", "coach-demoted", str(st, "coach.demoted")));
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

	// ---------- wiring ----------

	function onInput(e) {
		var t = e.target;
		if (!t.matches || !t.matches("[data-coach] textarea")) return;
		var st = editorOf(t);
		if (!st) return;
		st.pointers = st.pointers.filter(function (p) { return p.by !== "pin"; }); // a pinned finding stays pointed at until the agent edits
		st.active = st.pointers.length ? st.pointers[0].key : null;
		shift(st, st.painted, t.value);
		paint(st);
		if (!isNote(st)) scheduleLint(st, LINT_DELAY);
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
		if (st && t.matches(".coach-summary")) { // the panel is below the text: take the agent to its first finding
			if (!focusFinding(st, "first")) st.panel.scrollIntoView({ block: "nearest" });
			return;
		}
		var li = t.closest(".coach-finding");
		if (st && li) {
			if (t.matches(".coach-apply")) applySuggestion(st, li.getAttribute("data-key"), Number(t.getAttribute("data-index")));
			else if (t.matches(".coach-not-helpful")) askWhy(st, li);
			else if (t.matches(".coach-why-confirm")) confirmWhy(st, li);
			else if (t.matches(".coach-why-cancel")) cancelWhy(st, li);
			else if (t.matches(".coach-unmark")) unmark(st, li);
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
		// Page scripts hear of each round, so they can prepare fields before the editors start and follow up after.
		document.dispatchEvent(new CustomEvent("coach:starting"));
		if (scope.matches && scope.matches("[data-coach]")) ensureEditor(scope);
		scope.querySelectorAll("[data-coach]").forEach(ensureEditor);
		document.dispatchEvent(new CustomEvent("coach:started"));
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
	document.addEventListener("htmx:load", function (e) { initWithin(e.target); });
	document.addEventListener("htmx:afterSettle", function (e) { initWithin(e.target); });

	// What the composer builds on, besides the events: coach:starting and coach:started on document around
	// each round of editors, and from an editor's root coach:linted (an answer shown) and coach:note (coaching off).
	// An editor object's .area is its textarea and .form that textarea's form.
	window.Coachdesk = window.Coachdesk || {};
	window.Coachdesk.coach = {
		editorOf: editorOf, // the editor around a node inside [data-coach] (started on first use), or null
		str: str, // the editor's text for a message id, with {placeholders} filled from values
		ruleName: ruleName, // a rule's name in the editor's language
		isNote: isNote, // the form is set to an internal note, which is not coached
		isFresh: fresh, // the shown answer is for the text on screen and no lint is pending
		answered: function (st) { return !!st.result && st.result.text === st.area.value; }, // the latest answer is for the text on screen
		whenLinted: waitForLint, // a promise that settles once the text on screen is coached or the coach failed
		errors: errorsOf, // the error findings in text order: {key, f: the finding, start, end} in UTF-16 units
		pin: function (st, key) { setActive(st, key, "pin"); }, // point at a finding until the agent edits
		writeMarks: writeMarks, // copy the "not helpful here" marks into the form's coach_marks field
		make: make, // a new element with a class and text
		csrfToken: csrfToken // the page's CSRF token, for the editor's own calls and the composer's
	};

	// Start after every deferred script has run (DOMContentLoaded), so one loaded after this file is listening.
	if (document.readyState === "complete") initWithin(document);
	else document.addEventListener("DOMContentLoaded", function () { initWithin(document); });
})();
