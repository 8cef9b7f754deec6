// The review page by keyboard: j/k move between findings, 1–4 give the current one a verdict,
// d finishes the review. Verdicts post through htmx and swap only their finding.
(() => {
	const findings = () => [...document.querySelectorAll(".review-finding")];
	const current = () => document.querySelector(".review-finding.current") || findings()[0];
	const select = (el) => {
		if (!el) return;
		findings().forEach((f) => f.classList.toggle("current", f === el));
		document.querySelectorAll(".review-mark.current").forEach((m) => m.classList.remove("current"));
		const mark = document.querySelector(`.review-mark[data-finding="${el.dataset.finding}"]`);
		if (mark) mark.classList.add("current");
		el.focus({ preventScroll: true });
		el.scrollIntoView({ block: "nearest" });
	};
	const typing = (e) => e.target.closest("input, textarea, select, [contenteditable]");

	document.addEventListener("keydown", (e) => {
		if (!document.querySelector("[data-review]") || typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
		const list = findings();
		const at = list.indexOf(current());
		if (e.key === "j" || e.key === "k") {
			e.preventDefault();
			select(list[Math.min(list.length - 1, Math.max(0, at + (e.key === "j" ? 1 : -1)))]);
			return;
		}
		const button = /^[1-4]$/.test(e.key) ? current()?.querySelector(`.verdicts [data-key="${e.key}"]`)
			: e.key === "d" ? document.querySelector(`button[data-key="d"]`) : null;
		if (!button) return;
		e.preventDefault();
		button.click();
	});

	// After a verdict the next undecided finding becomes current, so a lead can go 1, 2, 1 …
	// The swapped-out item still holds the form that posted, so its id names the finding.
	document.addEventListener("htmx:afterSettle", (e) => {
		const old = e.detail.elt?.closest?.(".review-finding");
		if (!old) return;
		const list = findings();
		const at = list.findIndex((f) => f.dataset.finding === old.dataset.finding);
		if (at < 0) return;
		select(list.slice(at + 1).find((f) => !f.classList.contains("decided")) || list[at]);
	});

	document.addEventListener("click", (e) => {
		const f = e.target.closest(".review-finding");
		if (f && !e.target.closest("button, a, input, textarea")) select(f);
	});
	if (document.readyState !== "loading") select(current());
	else document.addEventListener("DOMContentLoaded", () => select(current()));
})();
