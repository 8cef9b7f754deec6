// Coachdesk's reply composer on the ticket page, around the coach in its text field: the send gate,
// drafts kept on the server, and the live ticket (thread refresh, who else is looking, collisions).
// Plain JavaScript, loaded with defer after coach.js, whose window.Coachdesk.coach it builds on.
// Listeners are delegated from document and per-form set-up is idempotent, as in coach.js.
(function () {
	"use strict";

	var coach = window.Coachdesk && window.Coachdesk.coach;
	if (!coach) return; // without the coach there is no composer to run

	// Longest a send waits for a pending lint or draft save before the server decides alone; the composer
	// says it is waiting meanwhile. A coach that fails answers at once; only one that hangs costs the wait.
	var GATE_WAIT = 8000;
	var DRAFT_DELAY = 700;
	var DRAFT_RETRY_MAX = 60000;
	var THREAD_DELAY = 120;

	var composers = new WeakMap(); // form#composer → draft state
	var revs = {}; // ticket → highest draft rev this page handed out, across composer re-renders
	var live = null; // the page's one event stream

	// ---------- small helpers ----------

	function $(root, sel) { return root.querySelector(sel); }

	var make = coach.make, csrfToken = coach.csrfToken;

	function clockTime(iso) {
		var d = iso ? new Date(iso) : new Date();
		if (isNaN(d.getTime())) d = new Date();
		return d.toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
	}

	function timeout(promise, ms) {
		return Promise.race([promise, new Promise(function (resolve) { setTimeout(resolve, ms); })]);
	}

	// ---------- the send gate ----------

	function gateReason(form) {
		var input = form && form.querySelector("input[name=override_reason]");
		return input ? input.value.trim() : "";
	}

	function openGate(st, errors, missingReason) {
		var gate = st.form && $(st.form, ".send-gate");
		if (!gate) return;
		fillGate(st, gate, errors);
		gate.hidden = false;
		setReasonError(st, gate, missingReason ? coach.str(st, "composer.gate_reason_missing") : "");
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
			li.appendChild(make("strong", "send-gate-rule", coach.ruleName(st, v.f.rule)));
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
		if (!gate || gate.hidden || !coach.answered(st)) return;
		var errors = coach.errors(st);
		if (!errors.length) { closeGate(st.form); return; }
		fillGate(st, gate, errors);
	}

	function keepEditing(st) {
		var errors = coach.errors(st);
		closeGate(st.form);
		var a = st.area;
		a.focus();
		if (errors.length) {
			a.setSelectionRange(errors[0].start, errors[0].end);
			coach.pin(st, errors[0].key);
		}
	}

	// ---------- what a pressed Send is doing: the page's own signals ----------

	// setSendState marks the form (data-send-state) so people, scripts and tests can see where a press is:
	// waiting (for the coach), sending (on its way), stopped (the page said why), failed (the server did not take it).
	function setSendState(form, state) {
		if (!form || form.id !== "composer") return;
		form.setAttribute("data-send-state", state);
		var button = $(form, ".composer-foot button[type=submit]");
		if (!button) return;
		if (state === "waiting" || state === "sending") button.setAttribute("aria-busy", "true");
		else button.removeAttribute("aria-busy");
	}

	// showSendNotice says beside the Send button what became of a press; role alert for what needs the agent.
	function showSendNotice(form, id, values, urgent) {
		var note = form && $(form, ".send-notice");
		var st = form && coach.editorOf($(form, "[data-coach] textarea"));
		if (!note || !st) return;
		note.textContent = coach.str(st, id, values);
		note.setAttribute("data-notice", id.replace(/^composer\./, ""));
		if (urgent) note.setAttribute("role", "alert");
		else note.setAttribute("role", "status");
		note.hidden = false;
	}

	function clearSendNotice(form) {
		var note = form && $(form, ".send-notice");
		if (!note) return;
		note.hidden = true;
		note.textContent = "";
		note.removeAttribute("data-notice");
	}

	// ---------- what the text itself lacks: said beside it, before anything is sent ----------

	function utf8Length(s) {
		return typeof TextEncoder === "function" ? new TextEncoder().encode(s).length : unescape(encodeURIComponent(s)).length;
	}

	// bodyProblem is what the server would refuse the text for, found without asking it: empty, or over the limit.
	function bodyProblem(form, st) {
		var text = st.area.value.trim();
		if (!text) return { id: coach.isNote(st) ? "composer.note_missing" : "composer.body_missing" };
		var max = Number(form.getAttribute("data-max-bytes")) || 0, size = utf8Length(text);
		if (max && size > max) return { id: "composer.body_too_long", values: { size: Math.ceil(size / 1024), max: Math.floor(max / 1024) } };
		return null;
	}

	function showBodyError(form, st, problem) {
		var err = $(form, "#err-body");
		if (!err) {
			err = make("p", "field-error");
			err.id = "err-body";
			err.setAttribute("role", "alert");
			st.root.after(err);
		}
		err.textContent = coach.str(st, problem.id, problem.values);
		err.setAttribute("data-problem", problem.id.replace(/^composer\./, ""));
		st.area.setAttribute("aria-invalid", "true");
		st.area.focus({ preventScroll: true });
		err.scrollIntoView({ block: "nearest" });
	}

	// clearBodyError takes back the page's own message once the agent edits; the server's stays until the next send.
	function clearBodyError(form, st) {
		var err = form && $(form, "#err-body[data-problem]");
		if (!err) return;
		err.remove();
		st.area.removeAttribute("aria-invalid");
	}

	// ---------- the send ----------

	// onSubmit runs before htmx: an empty or over-long text and a reply with an unexcused error stop here,
	// and a send waits for a pending lint or draft save. Whatever happens, the press ends sent or explained.
	function onSubmit(e) {
		var form = e.target;
		var root = form && form.querySelector && form.querySelector("[data-coach]");
		if (!root || e.defaultPrevented) return;
		var st = coach.editorOf(root), cs = composers.get(form);
		if (form._coachPass) {
			form._coachPass = false;
			beforeSend(st, cs);
			return;
		}
		// Each press the page takes is counted (data-presses), so anyone can tell a press taken from one that missed.
		form.setAttribute("data-presses", String((Number(form.getAttribute("data-presses")) || 0) + 1));
		if (form._coachHold) { // a second press while the first waits would send twice; the first goes
			e.preventDefault();
			e.stopPropagation();
			return;
		}
		if (form.classList.contains("htmx-request")) { // the reply is on its way; htmx would queue a second copy
			e.preventDefault();
			e.stopPropagation();
			return;
		}
		clearSendNotice(form);
		// Only the composer's text is checked here; a saved reply's form has its own messages from the server.
		var problem = form.id === "composer" ? bodyProblem(form, st) : null;
		if (problem) {
			e.preventDefault();
			e.stopPropagation();
			showBodyError(form, st, problem);
			setSendState(form, "stopped");
			return;
		}
		var gated = !!$(form, ".send-gate") && !coach.isNote(st);
		var holds = [];
		if (gated && !coach.isFresh(st)) holds.push(coach.whenLinted(st));
		if (cs && cs.inflight) holds.push(cs.inflight);
		var submitter = e.submitter;
		var decide = function () {
			if (gated && coach.answered(st) && coach.errors(st).length && !gateReason(form)) {
				var gate = $(form, ".send-gate");
				var asked = (submitter && submitter.classList.contains("send-anyway")) || (gate && !gate.hidden);
				openGate(st, coach.errors(st), asked);
				setSendState(form, "stopped");
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
		setSendState(form, "waiting");
		showSendNotice(form, "composer.send_waiting");
		var text = st.area.value, ticket = form.getAttribute("data-ticket");
		timeout(Promise.all(holds), GATE_WAIT).then(function () {
			form._coachHold = false;
			if (!form.isConnected) { resend(ticket, text); return; }
			clearSendNotice(form);
			if (!decide()) return;
			submitNow(form, submitter && form.contains(submitter) ? submitter : null);
		});
	}

	// submitNow hands the form to htmx past this gate. requestSubmit dispatches at once, or not at all when
	// the browser's own checks stop it; either way the pass must not outlive this press.
	function submitNow(form, submitter) {
		form._coachPass = true;
		try {
			if (submitter) form.requestSubmit(submitter);
			else form.requestSubmit();
		} finally {
			form._coachPass = false;
		}
	}

	// resend finishes a press whose form was replaced while it waited: the new composer holding the same
	// text sends it, through every check again; one holding anything else says the press was not sent.
	function resend(ticket, text) {
		var form = document.getElementById("composer");
		if (!form || form.getAttribute("data-ticket") !== ticket) return; // the agent left the ticket
		var st = coach.editorOf($(form, "[data-coach] textarea"));
		if (st && st.area.value === text) {
			form.requestSubmit();
			return;
		}
		setSendState(form, "failed");
		showSendNotice(form, "composer.send_replaced", null, true);
	}

	// sendFailed says why the server did not take a send htmx made; the text stays where it was.
	function sendFailed(form, xhr) {
		var status = xhr ? xhr.status : 0;
		var id = "composer.send_failed";
		if (!status) id = "composer.send_offline";
		else if (status === 413) id = "composer.send_too_large";
		else if (status === 403) id = "composer.send_expired";
		else if (status === 429) id = "composer.send_busy";
		else if (status === 503) id = "composer.send_unavailable";
		setSendState(form, "failed");
		showSendNotice(form, id, { status: status }, true);
	}

	function beforeSend(st, cs) {
		coach.writeMarks(st);
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
		// Text over the message limit is refused by the server; this browser keeps it, Send says what is wrong.
		var max = Number(cs.form.getAttribute("data-max-bytes")) || 0;
		if (max && utf8Length(draft.body.trim()) > max) return;
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
		var st = coach.editorOf(cs.area);
		var ids = { saving: "composer.draft_saving", saved: "composer.draft_saved", offline: "composer.draft_offline",
			failed: "composer.draft_failed", session: "composer.draft_session", restored: "composer.draft_restored",
			kept: "composer.draft_kept" };
		cs.status.textContent = st ? coach.str(st, ids[state], { time: clockTime(when) }) : "";
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
		setLiveState("connecting");
		es.addEventListener("open", function () {
			if (live && live.es === es && live.opened) refreshThread(); // what happened while the stream was down
			if (live && live.es === es) {
				live.opened = true;
				setLiveState("open");
			}
		});
		es.addEventListener("error", function () {
			if (live && live.es === es) setLiveState(es.readyState === EventSource.CLOSED ? "closed" : "connecting");
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
		setLiveState("closed");
	}

	// setLiveState shows on the page whether it hears the ticket's events (data-live on <html>).
	function setLiveState(state) { document.documentElement.setAttribute("data-live", state); }

	// countThreadSwap marks each new thread on the page (data-thread-swaps on <html>), a send's or a refresh's.
	function countThreadSwap() {
		var root = document.documentElement;
		root.setAttribute("data-thread-swaps", String((Number(root.getAttribute("data-thread-swaps")) || 0) + 1));
	}

	function parse(s) {
		try { return JSON.parse(s); } catch (e) { return null; }
	}

	function onLiveMessage(e) {
		var data = parse(e.data), form = document.getElementById("composer");
		refreshThread();
		if (!data || !form) return;
		if (String(data.actor_id) === form.getAttribute("data-user-id") || (data.kind && data.kind !== "reply")) return;
		var st = coach.editorOf($(form, "textarea[name=body]"));
		if (!st) return;
		var text = data.actor_id ? coach.str(st, "composer.live_agent", { name: data.actor_name || "" }) : coach.str(st, "composer.live_customer");
		var notice = $(form, ".collision-warning[data-source=live]");
		if (!notice) {
			notice = make("div", "collision-warning");
			notice.setAttribute("data-source", "live");
			notice.setAttribute("role", "status");
			notice.appendChild(make("span", "collision-text"));
			var close = make("button", "btn btn-ghost btn-small collision-dismiss", "×");
			close.type = "button";
			close.setAttribute("aria-label", coach.str(st, "composer.dismiss"));
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
		var st = form && coach.editorOf($(form, "textarea[name=body]"));
		if (!line || !st || !live) return;
		var names = live.viewers.map(function (v) { return v.name; }).filter(Boolean);
		line.hidden = !names.length;
		line.textContent = names.length ? coach.str(st, "composer.viewers", { names: names.join(", ") }) : "";
	}

	// ---------- wiring ----------

	function onInput(e) {
		var t = e.target;
		if (!t.matches || !t.matches("[data-coach] textarea")) return;
		var st = coach.editorOf(t);
		var cs = st && st.form && composers.get(st.form);
		if (!cs) return;
		scheduleSave(cs);
		clearBodyError(cs.form, st);
		if (cs.form.getAttribute("data-send-state") === "stopped") setSendState(cs.form, "idle");
	}

	function onChange(e) {
		var t = e.target, form = t.form;
		if (!form || !t.matches) return;
		if (!t.matches("input[name=kind]") && !t.matches("select[name=lang]")) return;
		var cs = composers.get(form);
		if (cs) scheduleSave(cs);
	}

	function onKeydown(e) {
		var t = e.target;
		if (t.matches && t.matches(".send-gate input[name=override_reason]") && e.key === "Escape") {
			keepEditing(coach.editorOf($(t.form, "[data-coach] textarea")));
		}
	}

	function onClick(e) {
		var t = e.target.closest && e.target.closest("button");
		if (!t) return;
		if (t.matches(".send-gate-keep") && t.form) {
			var ed = coach.editorOf($(t.form, "[data-coach] textarea"));
			if (ed) keepEditing(ed);
		} else if (t.matches(".collision-dismiss")) {
			var notice = t.closest(".collision-warning");
			if (notice) notice.remove();
		}
	}

	// The coach announces each round of editors it starts: the composer comes first, so a draft restored
	// from this browser is what gets coached, and the viewers line after, once the editors are there.
	document.addEventListener("coach:starting", function () {
		var form = document.getElementById("composer");
		if (form) ensureComposer(form);
	});
	document.addEventListener("coach:started", function () {
		if (document.getElementById("composer")) showViewers();
	});
	document.addEventListener("coach:linted", function (e) {
		var st = coach.editorOf(e.target);
		if (st) updateGate(st);
	});
	// A note is not gated.
	document.addEventListener("coach:note", function (e) {
		var st = coach.editorOf(e.target);
		if (st) closeGate(st.form);
	});
	document.addEventListener("input", onInput);
	document.addEventListener("change", onChange);
	document.addEventListener("keydown", onKeydown);
	document.addEventListener("click", onClick);
	document.addEventListener("submit", onSubmit, true);
	// A thread refresh that was redirected (the session ended) must not swap the sign-in page into the thread.
	document.addEventListener("htmx:beforeSwap", function (e) {
		var d = e.detail, xhr = d && d.xhr;
		if (!live || !xhr || !d.target || d.target.id !== "thread" || !xhr.responseURL) return;
		if (new URL(xhr.responseURL).pathname !== new URL(live.threadUrl, location.href).pathname) d.shouldSwap = false;
	});
	document.addEventListener("htmx:beforeRequest", function (e) {
		var form = e.detail && e.detail.elt;
		if (form && form.id === "composer" && composers.get(form)) {
			clearSendNotice(form);
			setSendState(form, "sending");
		}
	});
	// A send the server did not take leaves the composer as it was, says why, and drafts carry on.
	document.addEventListener("htmx:afterRequest", function (e) {
		var cs = e.detail && e.detail.elt && composers.get(e.detail.elt);
		if (!cs || e.detail.successful) return;
		cs.sending = false;
		scheduleSave(cs);
		if (cs.form.isConnected) sendFailed(cs.form, e.detail.xhr);
	});
	var lastSwap = null; // htmx settles every element of an answer (the sidebar, the trail): one answer counts once
	document.addEventListener("htmx:afterSettle", function (e) {
		var t = e.detail && e.detail.target;
		if (!t || (t.id !== "thread" && t.id !== "conversation") || e.detail.xhr === lastSwap) return;
		lastSwap = e.detail.xhr;
		countThreadSwap();
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
})();
