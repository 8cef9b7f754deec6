package demo

import (
	"context"

	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

type scene struct {
	customer, email, subject, body string
	tags                           []string
	priority                       desk.Priority
	reply                          string // an agent's reply, good or poor, for the coach to show
}

var scenes = []scene{
	{"Jens Hansen", "jens.hansen@example.dk", "Hvor er min pakke?", "Hej. Jeg bestilte en kaffemaskine for otte dage siden (ordre 55120), og den er stadig ikke kommet. Track & trace har ikke ændret sig siden fredag. Hvad sker der?", []string{"levering"}, desk.PriorityHigh,
		"Hej Jens.\nMen du må kontakte GLS, det er ikke vores ansvar. Har du tjekket din postkasse?\nMvh Mikkel"},
	{"Mette Larsen", "mette@example.dk", "Faktura trukket to gange", "Hej, jeg kan se på min konto, at I har trukket 1.299,00 kr. to gange for ordre 55342. Jeg vil gerne have pengene retur hurtigst muligt.", []string{"faktura", "refusion"}, desk.PriorityUrgent,
		"Hej Mette,\nHvor er det ærgerligt, at du er blevet trukket to gange – det forstår jeg godt er irriterende, når man holder øje med sin konto. Jeg har sat den ene betaling retur i dag, så beløbet står på din konto inden for 3–5 bankdage. Du får en kreditnota på mail med det samme.\nVenlig hilsen\nAnna"},
	{"Lars Pedersen", "lars@firma.dk", "Kan ikke logge ind", "Jeg kan ikke logge ind på min konto. Der står bare 'forkert adgangskode', selvom jeg har nulstillet den to gange.", []string{"login"}, desk.PriorityNormal,
		""},
	{"Birgitte Nielsen", "birgitte@example.dk", "Returnering af kjole", "Hej! Kjolen passede desværre ikke. Hvordan returnerer jeg den og får den næste størrelse?", []string{"retur"}, desk.PriorityLow,
		"Hej Birgitte,\nDu kan måske prøve at finde returlabelen på vores side. Det, der tit sker, er at folk bestiller den forkerte størrelse.\nMvh Mikkel"},
	{"Søren Madsen", "soeren@example.dk", "Refusion mangler", "Jeg returnerede en jakke for tre uger siden og har stadig ikke fået mine penge. Det er simpelthen ikke i orden!", []string{"refusion", "retur"}, desk.PriorityHigh,
		""},
	{"Karen Jensen", "karen.jensen@example.dk", "Forkert vare leveret", "Jeg har bestilt en blå sofa-pude men fået en grøn. Ordre 55401.", []string{"levering"}, desk.PriorityNormal,
		""},
}

func seedTickets(ctx context.Context, st *store.Store, users []desk.User) error {
	agents := users[2:]
	for i, sc := range scenes {
		t, err := st.CreateTicket(ctx, desk.NewTicket{Subject: sc.subject, Body: sc.body, CustomerName: sc.customer, CustomerEmail: sc.email,
			Priority: sc.priority, Channel: desk.ChannelEmail, Tags: sc.tags, AssigneeID: agents[i%len(agents)].ID})
		if err != nil {
			return err
		}
		if sc.reply != "" {
			if _, err := st.AddMessage(ctx, t.Number, desk.NewMessage{Kind: desk.KindReply, Body: sc.reply, UserID: agents[i%len(agents)].ID}); err != nil {
				return err
			}
		}
	}
	return nil
}
