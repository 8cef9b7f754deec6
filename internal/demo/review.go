package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

// Six weeks of coached replies from four agents, older than the hand-written tickets, with a team
// lead's verdicts, coaching notes and one open dispute: so the review queue, the precision table and
// the dashboard show something real on first start. The replies get better week by week, and some
// were fixed in the draft before they went out, as happens once a team coaches.

var reviewCustomers = []string{"Nanna Friis", "Bo Lauritsen", "Signe Dahl", "Mads Kjær", "Julie Bech", "Frederik Juul", "Lærke Holm", "Anton Brix"}

var reviewAsks = []struct{ subject, body string }{
	{"Pakken er ikke kommet", "Hej, jeg bestilte for en uge siden, og pakken er stadig ikke kommet. Hvor bliver den af?"},
	{"Forkert størrelse", "Hej, skoene er for små. Kan jeg bytte dem til en større størrelse?"},
	{"Dobbelt trukket", "Hej, I har trukket mig to gange for samme ordre. Det er ikke i orden."},
	{"Rabatkoden virker ikke", "Hej, rabatkoden fra jeres nyhedsbrev bliver afvist i kassen."},
	{"Ødelagt vare", "Hej, lampen var knust, da jeg åbnede pakken. Hvad gør jeg nu?"},
	{"Kan ikke logge ind", "Hej, jeg kan ikke logge ind på min konto længere, selvom jeg har nulstillet koden."},
}

// Replies from poor to good: the share of good ones grows each week.
var reviewPoor = []string{
	"Hej,\nMen pakken er sendt, så det er ikke noget, vi kan gøre mere ved. Du må kontakte fragtfirmaet.\nHilsen",
	"Hej,\nDu har valgt den forkerte størrelse, da du bestilte. Vi kan måske bytte dem, hvis du sender dem retur.\nHilsen",
	"Hej,\nHar du tjekket din bankkonto igen? Jeg tror, det er en reservation, som forsvinder af sig selv.\nHilsen",
	"Hej,\nKoden virker kun på varer til fuld pris. Det står i betingelserne, som du burde have læst.\nHilsen",
}

var reviewGood = []string{
	"Hej,\nHvor ærgerligt, at du stadig venter på pakken. Jeg har sendt en ny i dag med ekspreslevering, og du får et sporingsnummer på mail inden kl. 16. Hvad passer dig bedst, hvis du ikke er hjemme: en pakkeshop eller et sikkert sted ved døren?\nVenlig hilsen",
	"Hej,\nJeg forstår godt, at det er irriterende, når skoene ikke passer. Jeg har oprettet en gratis returlabel til dig, og så snart vi har dem retur, sender vi en størrelse større. Hvilken farve vil du have?\nVenlig hilsen",
	"Hej,\nDet er helt forståeligt, at du bliver utryg ved at blive trukket to gange. Jeg har tilbageført den ene betaling i dag, og beløbet står på din konto inden for tre bankdage.\nVenlig hilsen",
	"Hej,\nTak fordi du siger til, og undskyld besværet med koden. Jeg har lagt rabatten direkte på din ordre, så du betaler den nedsatte pris. Hvad kan jeg ellers hjælpe med?\nVenlig hilsen",
}

// seedReviews plays the history with the clock set back, between ten and four weeks ago.
func seedReviews(ctx context.Context, st *store.Store, lead desk.User, agents []desk.User) error {
	defer st.SetClock(func() time.Time { return time.Now().UTC() })
	rng := rand.New(rand.NewPCG(7, 11)) // the same history on every start
	start := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -70)
	type sent struct {
		msg   desk.Message
		agent desk.User
	}
	var history []sent
	for week := range 6 {
		for ai, agent := range agents {
			for k := range 4 {
				at := start.AddDate(0, 0, 7*week+k+ai%2).Add(time.Duration(8+rng.IntN(8)) * time.Hour)
				ask := reviewAsks[rng.IntN(len(reviewAsks))]
				st.SetClock(func() time.Time { return at })
				name := reviewCustomers[rng.IntN(len(reviewCustomers))]
				t, err := st.CreateTicket(ctx, desk.NewTicket{Subject: ask.subject, Body: ask.body, CustomerName: name,
					CustomerEmail: fmt.Sprintf("kunde%d@example.dk", rng.IntN(40)), Channel: desk.ChannelEmail, Language: "da", AssigneeID: agent.ID})
				if err != nil {
					return err
				}
				good := rng.IntN(10) < 3+week // 30 % good in the first week, 80 % in the last
				body := reviewPoor[rng.IntN(len(reviewPoor))]
				if good {
					body = reviewGood[rng.IntN(len(reviewGood))]
					if rng.IntN(2) == 0 { // a poorer draft first, fixed before sending
						at = at.Add(20 * time.Minute)
						draft := reviewPoor[rng.IntN(len(reviewPoor))]
						seen := map[string]int{}
						for _, f := range demoCoach.Lint(draft, coach.Options{Lang: "da"}).Findings {
							seen[f.Rule]++
						}
						if _, _, err := st.SaveDraft(ctx, desk.Draft{TicketID: t.ID, UserID: agent.ID, Body: draft, Lang: "da", Rev: 1, Seen: seen}); err != nil {
							return err
						}
					}
				}
				at = at.Add(time.Duration(30+rng.IntN(300)) * time.Minute)
				m, err := st.AddMessage(ctx, t.Number, desk.NewMessage{Body: body, UserID: agent.ID, SetStatus: desk.StatusSolved, Coaching: demoCoaching(body, "da", false)})
				if err != nil {
					return err
				}
				history = append(history, sent{m, agent})
			}
		}
	}
	// The lead reviews the first five weeks: most findings right, weak words in questions often not.
	for i, h := range history[:len(history)*5/6] {
		at := h.msg.CreatedAt.Add(26 * time.Hour)
		st.SetClock(func() time.Time { return at })
		for j, f := range h.msg.Coaching.Findings {
			v := desk.VerdictConfirmed
			switch {
			case f.Rule == coach.RuleWeakWord && (i+j)%3 == 0:
				v = desk.VerdictFalsePositive
			case f.Rule == coach.RuleClosedQuestion && (i+j)%4 == 0:
				v = desk.VerdictException
			}
			if err := st.SetVerdict(ctx, f.ID, lead.ID, v); err != nil {
				return err
			}
		}
		if i%9 == 0 && len(h.msg.Coaching.Findings) > 0 {
			if _, err := st.AddComment(ctx, h.msg.ID, lead.ID, "Godt, at du svarede samme dag. Prøv at starte med kundens situation og sig, hvad du gør nu.", ""); err != nil {
				return err
			}
		}
		if err := st.MarkReviewed(ctx, h.msg.ID, lead.ID); err != nil {
			return err
		}
	}
	// The newest reviewed reply with a blame finding gets its agent's dispute, waiting for the lead.
	for i := len(history)*5/6 - 1; i >= 0; i-- {
		for _, f := range history[i].msg.Coaching.Findings {
			if f.Rule == coach.RuleBlame {
				at := history[i].msg.CreatedAt.Add(27 * time.Hour)
				st.SetClock(func() time.Time { return at })
				return st.Dispute(ctx, f.ID, history[i].agent.ID, "Kunden havde selv skrevet størrelsen forkert i bestillingen; jeg gengav bare, hvad der stod.")
			}
		}
	}
	return nil
}
