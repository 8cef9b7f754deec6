// Package e2e drives the real server in a headless Chromium: what an agent does with the mouse and
// keyboard, with htmx and the app's JavaScript running as they do for people.
package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"coachdesk/internal/demo"
	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
)

func TestAgentWorksATicketInTheBrowser(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	var agent demo.Login
	for _, l := range logins {
		if l.Role == desk.RoleAgent {
			agent = l
			break
		}
	}
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	da := bundle.For("da") // demo users read Danish
	ctx := newBrowser(t, execPath)

	// Sign in.
	step(t, ctx, "sign in",
		chromedp.Navigate(base+"/inbox"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), agent.Email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), agent.Password+kb.Enter),
		waitFor(`location.pathname === "/inbox" && document.querySelector("#search") !== null && `+settled),
	)

	// The inbox lists the agent's tickets.
	step(t, ctx, "open the inbox",
		waitFor(`document.querySelectorAll("#ticket-list .ticket-row").length > 0`),
	)

	// Search from the top bar.
	step(t, ctx, "search",
		chromedp.Click(chromedp.ID("search")),
		chromedp.SendKeys(chromedp.ID("search"), "faktura"+kb.Enter),
		waitFor(`location.search.includes("q=faktura") && document.querySelectorAll("#ticket-list .ticket-row").length > 0 && `+settled),
	)
	// The page lists what the store finds for the same search (the demo data is free to change).
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#ticket-list .ticket-row")].map(r => r.dataset.href)`))
	if err != nil {
		t.Fatal(err)
	}
	found, err := st.ListTickets(context.Background(), desk.Filter{View: desk.ViewAll, Query: "faktura"})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	var number int64
	for _, tk := range found.Tickets {
		want = append(want, fmt.Sprintf("/tickets/%d", tk.Number))
		if number == 0 && (tk.Status == desk.StatusNew || tk.Status == desk.StatusOpen) {
			number = tk.Number // one that can take a reply and a status change
		}
	}
	if len(want) == 0 || fmt.Sprint(links) != fmt.Sprint(want) {
		t.Fatalf("search for faktura lists %q, the store finds %q", links, want)
	}
	if number == 0 {
		t.Fatal("the demo data has no new or open ticket about faktura to work on")
	}

	// Open the ticket.
	step(t, ctx, "open the ticket",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#ticket-list .ticket-row[data-href="/tickets/%d"] .ticket-subject`, number))),
		waitFor(fmt.Sprintf(`location.pathname === "/tickets/%d" && document.querySelector("#composer textarea[name=body]") !== null && `, number)+settled),
	)
	before, err := st.Ticket(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}

	// Reply through the composer.
	reply := "Hej, jeg har rettet fakturaen og sendt den igen i dag. Venlig hilsen Anna (e2e)"
	// Send once the coach has answered for the whole reply: its findings then stop moving the button.
	step(t, ctx, "write a reply",
		chromedp.Click(chromedp.CSS(`#composer textarea[name=body]`)),
		chromedp.SendKeys(chromedp.CSS(`#composer textarea[name=body]`), reply),
		waitFor(bodyIs(reply)+" && "+coachAnswered),
	)
	swaps := threadSwaps(t, ctx)
	pressSend(t, ctx)
	step(t, ctx, "the reply is in the thread",
		waitFor(threadSwappedSince(swaps)+" && "+threadShows(reply)+" && "+bodyIs("")+" && "+settled),
	)

	// Change the status in the sidebar; htmx posts on change, and the audit trail shows it.
	solved := da.T("status.solved")
	auditBefore, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector("#audit").children.length`))
	if err != nil {
		t.Fatal(err)
	}
	// The reply's own live event may redraw the sidebar just as the change is made, before htmx has
	// taken the new select in hand; so the poll makes the change while the page is settled until
	// htmx has sent it (counted from htmx's own beforeRequest event), then waits for the trail.
	step(t, ctx, "change the status",
		chromedp.WaitVisible(chromedp.CSS(`#properties select[name=status]`)),
		chromedp.Evaluate[chromedp.Void](`(() => {
			window.__e2eStatusPosts = 0;
			document.addEventListener("htmx:beforeRequest", (e) => {
				if ((e.detail.requestConfig && e.detail.requestConfig.path || "").endsWith("/properties")) window.__e2eStatusPosts++;
			});
		})()`),
		waitFor(fmt.Sprintf(`(() => {
			const items = document.querySelector("#audit").children;
			if (items.length > %d && items[items.length - 1].textContent.includes(%q)) return true;
			const s = document.querySelector("#properties select[name=status]");
			if (window.__e2eStatusPosts === 0 && s && `+settled+`) {
				s.value = "solved";
				s.dispatchEvent(new Event("change", {bubbles: true}));
			}
			return false;
		})()`, auditBefore, solved)),
	)
	// htmx replaced the sidebar and the trail; it did not add copies beside them.
	counts, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`["#audit", "#properties", "#composer", "#thread"].map(s => document.querySelectorAll(s).length)`))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(counts) != "[1 1 1 1]" {
		t.Fatalf("#audit, #properties, #composer, #thread occur %v times on the page, want once each", counts)
	}
	// Read in the page, not node by node: a live refresh may be swapping the sidebar in between. One that
	// was drawn before the change can even show the old status for a moment; the next brings it up to date.
	step(t, ctx, "the sidebar shows the new status",
		waitFor(`document.querySelector("#properties select[name=status]").value === "solved" && `+settled))

	// The database agrees with what the page shows.
	after, err := st.Ticket(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != desk.StatusSolved || after.SolvedAt == nil {
		t.Fatalf("ticket %d after the browser session: status %s, solved at %v (before: %s)", number, after.Status, after.SolvedAt, before.Status)
	}
	thread, err := st.Thread(context.Background(), after.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := thread[len(thread)-1]; last.Body != reply || !last.FromAgent || last.AuthorName == "" {
		t.Fatalf("the last message is %+v, want the reply from the browser", last)
	}
}
