// Coachdesk's small interface helpers: keyboard shortcuts, clickable rows, saved replies,
// confirmations and the composer's note mode. Plain JavaScript, loaded with defer; every
// listener is delegated from document so content htmx swaps in works without re-binding.
(function () {
	"use strict";

	document.documentElement.classList.add("js");

	var SELECTED = "is-selected";
	var pendingG = 0; // time the "g" of "g i" was pressed

	function rows() {
		return Array.prototype.slice.call(document.querySelectorAll(".ticket-row"));
	}

	function selectedIndex(list) {
		for (var i = 0; i < list.length; i++) {
			if (list[i].classList.contains(SELECTED)) return i;
		}
		return -1;
	}

	function select(list, i) {
		list.forEach(function (r) {
			r.classList.remove(SELECTED);
			r.removeAttribute("aria-current");
		});
		var row = list[i];
		if (!row) return;
		row.classList.add(SELECTED);
		row.setAttribute("aria-current", "true");
		row.scrollIntoView({ block: "nearest" });
	}

	function move(step) {
		var list = rows();
		if (!list.length) return;
		var i = selectedIndex(list);
		if (i < 0) i = step > 0 ? 0 : list.length - 1;
		else i = Math.min(list.length - 1, Math.max(0, i + step));
		select(list, i);
	}

	function open(row, newTab) {
		var href = row && row.getAttribute("data-href");
		if (!href) return;
		if (newTab) window.open(href, "_blank", "noopener");
		else window.location.assign(href);
	}

	function isTyping(el) {
		if (!el) return false;
		var tag = el.tagName;
		return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
	}

	function openShortcuts() {
		var dialog = document.getElementById("shortcuts");
		if (!dialog) return;
		var menu = document.querySelector(".usermenu[open]");
		if (menu) menu.removeAttribute("open");
		if (typeof dialog.showModal === "function") {
			if (!dialog.open) dialog.showModal();
		} else {
			dialog.setAttribute("open", "");
		}
	}

	// The composer shows which kind of message is being written: a reply or an internal note.
	function applyKind(form) {
		if (!form) return;
		var checked = form.querySelector("input[name=kind]:checked");
		var kind = checked ? checked.value : "reply";
		form.setAttribute("data-kind", kind);
		var body = form.querySelector("textarea[name=body]");
		if (body) {
			var ph = body.getAttribute("data-placeholder-" + kind);
			if (ph) body.setAttribute("placeholder", ph);
		}
		var submit = form.querySelector("[type=submit][data-label-" + kind + "]");
		if (submit) {
			var label = submit.querySelector(".btn-label") || submit;
			label.textContent = submit.getAttribute("data-label-" + kind);
		}
	}

	function focusComposer(kind) {
		var form = document.getElementById("composer");
		if (!form) return false;
		var radio = form.querySelector("input[name=kind][value=" + kind + "]");
		if (radio && !radio.checked) {
			radio.checked = true;
			radio.dispatchEvent(new Event("change", { bubbles: true }));
		}
		applyKind(form);
		var body = form.querySelector("textarea[name=body]");
		if (body) {
			// The whole composer comes into sight, the coach beside or below the text and Send with it.
			body.focus({ preventScroll: true });
			form.scrollIntoView({ block: "nearest" });
		}
		return true;
	}

	function insertAtCaret(area, text) {
		var start = area.selectionStart, end = area.selectionEnd;
		if (typeof start !== "number") {
			area.value += text;
			return;
		}
		var before = area.value.slice(0, start), after = area.value.slice(end);
		area.value = before + text + after;
		var caret = start + text.length;
		area.setSelectionRange(caret, caret);
		area.dispatchEvent(new Event("input", { bubbles: true }));
	}

	document.addEventListener("keydown", function (e) {
		var target = e.target;
		if (e.key === "Escape" && isTyping(target)) {
			target.blur();
			return;
		}
		// Ctrl/Cmd+Enter sends from the composer.
		if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && target.form && target.form.id === "composer") {
			e.preventDefault();
			if (typeof target.form.requestSubmit === "function") target.form.requestSubmit();
			else target.form.submit();
			return;
		}
		if (isTyping(target) || e.ctrlKey || e.metaKey || e.altKey) return;
		if (document.querySelector("dialog[open]") && e.key !== "?") return;

		var now = Date.now();
		if (pendingG && now - pendingG < 1500) {
			pendingG = 0;
			if (e.key === "i") {
				e.preventDefault();
				window.location.assign("/inbox");
			}
			return;
		}
		pendingG = 0;

		switch (e.key) {
		case "j":
		case "ArrowDown":
			if (e.key === "ArrowDown" && !document.querySelector(".ticket-row." + SELECTED)) return;
			if (!rows().length) return;
			e.preventDefault();
			move(1);
			break;
		case "k":
		case "ArrowUp":
			if (e.key === "ArrowUp" && !document.querySelector(".ticket-row." + SELECTED)) return;
			if (!rows().length) return;
			e.preventDefault();
			move(-1);
			break;
		case "Enter":
			// A focused link or button does its own thing.
			if (target.closest && target.closest("a, button")) return;
			var row = document.querySelector(".ticket-row." + SELECTED);
			if (row) {
				e.preventDefault();
				open(row, false);
			}
			break;
		case "/":
			var search = document.getElementById("search");
			if (search) {
				e.preventDefault();
				search.focus();
				search.select();
			}
			break;
		case "r":
			if (focusComposer("reply")) e.preventDefault();
			break;
		case "n":
			if (focusComposer("note")) e.preventDefault();
			break;
		case "?":
			e.preventDefault();
			openShortcuts();
			break;
		case "g":
			pendingG = now;
			break;
		}
	});

	document.addEventListener("click", function (e) {
		var target = e.target;
		var trigger = target.closest && target.closest("[data-action=shortcuts]");
		if (trigger) {
			e.preventDefault();
			openShortcuts();
			return;
		}
		// "Load images" on a customer's mail fetches its remote images, only now that the agent asks.
		var load = target.closest && target.closest("[data-load-images]");
		if (load) {
			var card = load.closest(".message-card");
			card.querySelectorAll("img[data-remote-src]").forEach(function (img) {
				img.src = img.getAttribute("data-remote-src");
				img.removeAttribute("data-remote-src");
			});
			load.closest(".remote-images").remove();
			return;
		}
		// Clicking outside the open user menu closes it.
		var menu = document.querySelector(".usermenu[open]");
		if (menu && !menu.contains(target)) menu.removeAttribute("open");

		var row = target.closest && target.closest(".ticket-row");
		if (!row || e.defaultPrevented || e.button !== 0) return;
		// Links, buttons and form fields inside a row keep their own behaviour.
		if (target.closest("a, button, input, select, textarea, label")) return;
		// Selecting text in a row is not a click to open it.
		var sel = window.getSelection && window.getSelection();
		if (sel && String(sel).length > 0 && row.contains(sel.anchorNode)) return;
		open(row, e.ctrlKey || e.metaKey);
	});

	// Middle-click on a row opens it in a new tab, like a link.
	document.addEventListener("auxclick", function (e) {
		var row = e.button === 1 && e.target.closest && e.target.closest(".ticket-row");
		if (row && !e.target.closest("a")) {
			e.preventDefault();
			open(row, true);
		}
	});

	document.addEventListener("change", function (e) {
		var target = e.target;
		if (target.matches && target.matches("select[data-action=insert-saved-reply]")) {
			var option = target.options[target.selectedIndex];
			var text = option && option.getAttribute("data-body");
			var form = target.closest("form") || document.getElementById("composer");
			var area = form && form.querySelector("textarea[name=body]");
			if (text && area) {
				area.focus();
				insertAtCaret(area, text);
			}
			target.selectedIndex = 0;
			return;
		}
		if (target.matches && target.matches("input[name=kind]") && target.form) {
			applyKind(target.form);
		}
	});

	document.addEventListener("submit", function (e) {
		var form = e.target;
		var question = form.getAttribute && form.getAttribute("data-confirm");
		if (question && !window.confirm(question)) {
			e.preventDefault();
			e.stopPropagation();
		}
	}, true);

	// A text over what the server takes (data-max-bytes on the textarea) is stopped here, its message
	// (data-too-long) beside it and the text kept: over the 256 KB cap the server could not even read it back.
	document.addEventListener("submit", function (e) {
		var form = e.target, over = null;
		if (!form.querySelectorAll || e.defaultPrevented) return;
		form.querySelectorAll("textarea[data-max-bytes]").forEach(function (area) {
			if (!over && utf8Length(area.value.trim()) > Number(area.getAttribute("data-max-bytes"))) over = area;
		});
		if (!over) return;
		e.preventDefault();
		e.stopPropagation();
		var id = "err-" + (over.getAttribute("data-error-field") || over.name);
		var err = document.getElementById(id);
		if (!err) {
			err = document.createElement("p");
			err.className = "field-error";
			err.id = id;
			err.setAttribute("role", "alert");
			over.after(err);
		}
		err.textContent = over.getAttribute("data-too-long") || "";
		over.setAttribute("aria-invalid", "true");
		over.setAttribute("aria-describedby", id);
		over.focus();
	}, true);

	function utf8Length(s) {
		return typeof TextEncoder === "function" ? new TextEncoder().encode(s).length : unescape(encodeURIComponent(s)).length;
	}

	// The selection in a list htmx replaced no longer exists; settled content gets its composer state.
	document.addEventListener("htmx:afterSettle", function () {
		applyKind(document.getElementById("composer"));
	});

	// Picking an existing customer's e-mail fills in their name, so the agent types it once.
	document.addEventListener("change", function (e) {
		var input = e.target;
		if (!input.matches || !input.matches("[data-action=pick-customer]") || !input.list) return;
		var name = input.form && input.form.elements["customer_name"];
		Array.prototype.forEach.call(input.list.options, function (o) {
			if (o.value === input.value && name && !name.value) name.value = o.getAttribute("data-name") || "";
		});
	});

	// htmx swaps only successful answers; a refused change (expired form, server fault) must not fail silently.
	document.addEventListener("htmx:responseError", function (e) {
		var elt = e.detail && e.detail.elt;
		if (elt && elt.id === "composer") return; // the composer says it beside the Send button (composer.js)
		var note = document.getElementById("request-failed");
		if (!note) {
			note = document.createElement("p");
			note.id = "request-failed";
			note.className = "alert alert-error toast";
			note.setAttribute("role", "alert");
			document.body.appendChild(note);
		}
		note.textContent = document.body.getAttribute("data-request-failed") || "";
	});

	// On a phone the views are a horizontal strip; bring the current one into sight.
	function revealActiveView() {
		var nav = document.querySelector(".views");
		var active = nav && nav.querySelector(".view.active");
		if (!active || nav.scrollWidth <= nav.clientWidth) return;
		nav.scrollLeft = active.offsetLeft - (nav.clientWidth - active.offsetWidth) / 2;
	}

	// ---------- the live inbox ----------
	// The server says only "the inbox changed" (/inbox/events, naming no ticket); the list then
	// refetches itself with the page's own query, so it shows what this agent's view, filters and
	// search show and nothing else. A burst of changes is one refetch; the agent's own filter or page
	// request goes first; the selection, focus and what is in sight stay put; the search box and
	// the filters are outside the list and never touched.
	var INBOX_QUIET = 300, INBOX_MAX_WAIT = 2000;
	var inbox = null;

	function initInboxLive() {
		var list = document.getElementById("ticket-list");
		var url = list && list.getAttribute("data-events-url");
		if (!url || typeof EventSource !== "function" || !window.htmx) return;
		var es = new EventSource(url); // reconnects by itself, with the last event's id: the server tells it what it missed
		inbox = { list: list, es: es, timer: 0, first: 0, busy: false, again: false, others: 0 };
		setInboxLive("connecting");
		es.addEventListener("open", function () { setInboxLive("open"); });
		es.addEventListener("error", function () { setInboxLive(es.readyState === EventSource.CLOSED ? "closed" : "connecting"); });
		es.addEventListener("inbox", scheduleInboxRefresh);
	}

	// setInboxLive shows whether the inbox hears its events (data-inbox-live on <html>).
	function setInboxLive(state) { document.documentElement.setAttribute("data-inbox-live", state); }

	// scheduleInboxRefresh waits for a quiet moment (at most INBOX_MAX_WAIT after the first event).
	function scheduleInboxRefresh() {
		var now = Date.now();
		if (!inbox.first) inbox.first = now;
		clearTimeout(inbox.timer);
		inbox.timer = setTimeout(refreshInbox, Math.max(0, Math.min(INBOX_QUIET, inbox.first + INBOX_MAX_WAIT - now)));
	}

	function refreshInbox() {
		inbox.first = 0;
		if (inbox.busy || inbox.others > 0) {
			inbox.again = true; // after the request in flight
			return;
		}
		var list = inbox.list, before = rowHrefs(list), keep = rememberRows(list);
		inbox.busy = true;
		// A screen reader hears what is new (#inbox-news), not the whole list read out again.
		list.setAttribute("aria-live", "off");
		var done = function () {
			list.setAttribute("aria-live", "polite");
			inbox.busy = false;
			if (inbox.again && !inbox.others) {
				inbox.again = false;
				scheduleInboxRefresh();
			}
		};
		var swap = window.htmx.ajax("GET", location.pathname + location.search, { source: list, target: list, swap: "innerHTML" });
		Promise.resolve(swap).then(function () {
			restoreRows(list, keep, before);
			var root = document.documentElement;
			root.setAttribute("data-inbox-refreshes", String((Number(root.getAttribute("data-inbox-refreshes")) || 0) + 1));
		}).then(done, done);
	}

	function rowHrefs(list) {
		var seen = {};
		list.querySelectorAll(".ticket-row[data-href]").forEach(function (r) { seen[r.getAttribute("data-href")] = true; });
		return seen;
	}

	function rowFor(list, href) {
		return href ? list.querySelector('.ticket-row[data-href="' + href + '"]') : null;
	}

	// rememberRows notes the selected row, the focused one, and a row in sight with where it is on screen.
	function rememberRows(list) {
		var keep = { selected: null, focused: null, anchor: null, top: 0 };
		var sel = list.querySelector(".ticket-row." + SELECTED);
		if (sel) keep.selected = sel.getAttribute("data-href");
		var active = document.activeElement, row = active && list.contains(active) && active.closest(".ticket-row");
		if (row) keep.focused = row.getAttribute("data-href");
		// At the top of the page a new ticket simply appears first; scrolled down, the rows in sight stay in sight.
		if (window.scrollY > 0) {
			var rows = list.querySelectorAll(".ticket-row[data-href]"), anchor = null;
			if (sel && sel.getBoundingClientRect().bottom > 0 && sel.getBoundingClientRect().top < window.innerHeight) anchor = sel;
			for (var i = 0; !anchor && i < rows.length; i++) {
				if (rows[i].getBoundingClientRect().bottom > 0) anchor = rows[i];
			}
			if (anchor) {
				keep.anchor = anchor.getAttribute("data-href");
				keep.top = anchor.getBoundingClientRect().top;
			}
		}
		return keep;
	}

	function restoreRows(list, keep, before) {
		var sel = rowFor(list, keep.selected);
		if (sel) {
			sel.classList.add(SELECTED);
			sel.setAttribute("aria-current", "true");
		}
		var focused = rowFor(list, keep.focused);
		var link = focused && focused.querySelector("a");
		if (link && (!document.activeElement || document.activeElement === document.body)) link.focus({ preventScroll: true });
		var anchor = rowFor(list, keep.anchor);
		if (anchor) {
			var moved = anchor.getBoundingClientRect().top - keep.top;
			if (Math.abs(moved) > 1) window.scrollBy(0, moved);
		}
		var fresh = 0;
		list.querySelectorAll(".ticket-row[data-href]").forEach(function (r) {
			if (!before[r.getAttribute("data-href")]) {
				r.classList.add("is-new");
				fresh++;
			}
		});
		var news = document.getElementById("inbox-news");
		if (news && fresh > 0) {
			var text = fresh === 1 ? news.getAttribute("data-new-one") : (news.getAttribute("data-new-many") || "").replace("{n}", String(fresh));
			news.textContent = ""; // the same words again are still news
			setTimeout(function () { news.textContent = text; }, 100);
		}
	}

	// The agent's own list request (a filter, the next page) goes first: a live refetch in flight
	// is dropped, and one that is due waits for it.
	document.addEventListener("htmx:beforeRequest", function (e) {
		if (!inbox || e.detail.target !== inbox.list || e.detail.elt === inbox.list) return;
		inbox.others++;
		if (inbox.busy) window.htmx.trigger(inbox.list, "htmx:abort");
	});
	document.addEventListener("htmx:afterRequest", function (e) {
		if (!inbox || e.detail.target !== inbox.list || e.detail.elt === inbox.list) return;
		inbox.others = Math.max(0, inbox.others - 1);
		if (!inbox.others && !inbox.busy && inbox.again) {
			inbox.again = false;
			scheduleInboxRefresh();
		}
	});

	function ready() {
		applyKind(document.getElementById("composer"));
		revealActiveView();
		initInboxLive();
	}
	if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
	else ready();
})();
