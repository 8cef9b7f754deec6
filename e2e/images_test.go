package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"coachdesk/internal/desk"
)

// A customer's HTML mail opens without its remote images; "Load images" fetches them on request.
func TestRemoteImagesLoadOnlyWhenAsked(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	tk, err := st.CreateTicket(context.Background(), desk.NewTicket{Subject: "Billede af skaden", HTML: true,
		Body:         `<p>Her er et billede af den knuste vase.</p><img src="https://pixel.example/seen.gif?mail=42" alt="skade">`,
		CustomerName: "Ida Holm", CustomerEmail: "ida@example.dk", Channel: desk.ChannelEmail, Language: "da"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, agentLogins(t, logins)[0])
	openTicket(t, ctx, base, tk.Number)
	step(t, ctx, "the image waits",
		waitFor(`(() => { const img = document.querySelector(".message-body.html img[alt=skade]");
			return img !== null && !img.hasAttribute("src") && img.dataset.remoteSrc.startsWith("https://pixel.example/") })()`),
		waitFor(`document.querySelector("[data-load-images]") !== null`),
	)
	step(t, ctx, "load images",
		chromedp.Click(chromedp.CSS(`[data-load-images]`)),
		waitFor(`(() => { const img = document.querySelector(".message-body.html img[alt=skade]");
			return img.getAttribute("src") === "https://pixel.example/seen.gif?mail=42" && document.querySelector("[data-load-images]") === null })()`),
	)
}
