package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

// Generated tickets at scale: a webshop's support history over three years, oldest first, so ids,
// created_at and updated_at grow together as they do in a real desk. Most tickets are solved or
// closed; only the newest few percent still wait on someone. Every ticket carries its own order
// number, and names and products come from word lists, so a search can be as selective as an
// order number ("3004711") or as common as "pakke".

var (
	firstNames = []string{"Jens", "Mette", "Lars", "Birgitte", "Søren", "Karen", "Anders", "Hanne", "Peter", "Susanne",
		"Niels", "Lone", "Henrik", "Anne", "Thomas", "Camilla", "Martin", "Louise", "Rasmus", "Julie", "Mads", "Sofie",
		"Kasper", "Ida", "Jonas", "Emma", "Frederik", "Freja", "Christian", "Signe", "Morten", "Trine", "Jesper", "Maja",
		"Michael", "Katrine", "Bo", "Pia", "Ole", "Tove", "Kim", "Helle", "Emil", "Cecilie", "Oliver", "Nanna", "Jakob",
		"Line", "Torben", "Dorthe", "Erik", "Astrid", "Villads", "Asta", "Malthe", "Ingrid", "Bjarke", "Sanne", "Carsten", "Rikke"}
	lastNames = []string{"Hansen", "Jensen", "Nielsen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
		"Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen",
		"Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Frederiksen", "Laursen", "Henriksen",
		"Lund", "Holm", "Schmidt", "Eriksen", "Kristiansen", "Simonsen", "Clausen", "Svendsen", "Andreasen", "Iversen",
		"Østergaard", "Jeppesen", "Vestergaard", "Nissen", "Lauridsen", "Kjær", "Jespersen", "Mogensen", "Skov",
		"Brandt", "Bach", "Dalgaard", "Kjeldsen", "Winther"}
	domains = []string{"example.dk", "mail.example.dk", "post.example.dk", "example.com", "example.se", "webmail.example.dk"}
	orgs    = []string{"Bageriet Sol ApS", "Tømrer Hansen & Søn", "Fysio Nord", "Café Havnen", "Revisorhuset A/S",
		"Blomsterhjørnet", "Frisør Klip", "Vestjysk Maskinstation", "Kontorhuset ApS", "Skolen ved Søen", "Grøn Have I/S",
		"Byens Cykler", "Dyreklinikken Øst", "Tandlæge Riis", "Børnehaven Mælkebøtten"}
	notes = []string{"Foretrækker at blive ringet op efter kl. 16.", "Stamkunde siden 2019 – bestiller ofte til firmaet.",
		"Har haft to forsinkede leveringer i år; vær ekstra grundig.", "Ønsker faktura med EAN-nummer.", "Skriver helst på engelsk."}
	products = []string{"kaffemaskine", "støvsuger", "vinterjakke", "løbesko", "sofapude", "elkedel", "høretelefoner",
		"robotstøvsuger", "strikketrøje", "regnjakke", "barnevogn", "cykelhjelm", "airfryer", "blender", "gryde",
		"stegepande", "dyne", "hovedpude", "sengetøj", "skrivebordslampe", "kontorstol", "vinterstøvler", "sommerkjole",
		"jeans", "rygsæk", "kuffert", "smartwatch", "tablet", "mobilcover", "oplader", "bluetooth-højttaler", "tandbørste",
		"hårtørrer", "termokop", "madkasse", "havestol", "parasol", "grill", "boremaskine", "skruetrækker", "legetøjsbil",
		"puslespil", "brætspil", "yogamåtte", "håndklæde", "badekåbe", "gardiner", "tæppe", "vase", "spejl"}
	carriers = []string{"GLS", "PostNord", "DAO", "Bring"}
	cities   = []string{"Aarhus", "Odense", "Aalborg", "Esbjerg", "Randers", "Kolding", "Horsens", "Vejle", "Roskilde",
		"Herning", "Silkeborg", "Næstved", "Fredericia", "Viborg", "Køge", "Holstebro", "Slagelse", "Svendborg", "Hillerød", "Sønderborg"}
	extraAgents = []desk.User{
		{Name: "Sofie Support", Email: "sofie@coachdesk.test", Role: desk.RoleAgent},
		{Name: "Jonas Support", Email: "jonas@coachdesk.test", Role: desk.RoleAgent},
		{Name: "Ida Support", Email: "ida@coachdesk.test", Role: desk.RoleAgent},
		{Name: "Emil Support", Email: "emil@coachdesk.test", Role: desk.RoleAgent},
		{Name: "Maja Support", Email: "maja@coachdesk.test", Role: desk.RoleAgent},
		{Name: "Kasper Support", Email: "kasper@coachdesk.test", Role: desk.RoleAgent},
	}
)

// A topic is one kind of problem: subjects, the customer's opening lines and the agent's answers.
// Placeholders: {product}, {order} (number), {carrier}, {city}, {days}, {name} (the customer's first name), {agent}.
type topic struct {
	tag      string
	weight   int
	subjects []string
	opens    []string
	goods    []string
	poors    []string
	follows  []string
}

var topics = []topic{
	{tag: "levering", weight: 30,
		subjects: []string{"Hvor er min pakke?", "Pakke ikke modtaget – ordre {order}", "Levering af {product} forsinket", "Track & trace står stille", "Pakken er leveret forkert sted"},
		opens: []string{"Hej. Jeg bestilte en {product} for {days} dage siden (ordre {order}), og pakken er stadig ikke kommet. Sporingen hos {carrier} har ikke ændret sig siden i mandags.",
			"Min pakke med ordre {order} står som leveret, men der er ingen pakke i {city}. Jeg har kigget hos naboerne. Hvad gør jeg nu?",
			"Hej, hvornår kommer min {product}? Jeg skal bruge den til weekenden, og I lovede levering på 2-3 dage. Ordrenummer {order}.",
			"Jeg har fået en sms fra {carrier} om at pakken er i pakkeshoppen, men den er ikke i pakkeshoppen i {city}. Ordre {order}."},
		goods: []string{"Hej {name}\nØv, hvor irriterende at vente på en pakke, der ikke kommer. Jeg har kontaktet {carrier}, og din {product} er fundet på terminalen. Den bliver leveret i morgen inden kl. 16. Hvornår passer det dig bedst, hvis chaufføren skal ringe først?\nVenlig hilsen\n{agent}",
			"Hej {name}\nJeg kan godt se, at pakken med ordre {order} har stået stille i flere dage, og det er ikke godt nok. Jeg har sendt en ny {product} af sted i dag med {carrier}, så du ikke skal vente på eftersøgningen. Du får et nyt sporingslink på mail inden for en time.\nMvh {agent}",
			"Hej {name}\nDet er virkelig ærgerligt, at pakken står som leveret uden at være hos dig. Jeg har oprettet en eftersøgning hos {carrier} og giver dig besked senest fredag. Hvis den ikke dukker op, sender jeg en ny med det samme."},
		poors: []string{"Hej\nMen du må kontakte {carrier}, det er ikke vores ansvar når pakken er sendt. Har du tjekket din postkasse?\nMvh {agent}",
			"Hej. Pakken er leveret ifølge {carrier}. Du var ikke hjemme, så den står nok i en pakkeshop.\n{agent}",
			"Hej {name}\nDu kan måske prøve at ringe til {carrier}. Det, der tit sker, er at pakken ligger hos en nabo. Har du spurgt dine naboer?\n{agent}"},
		follows: []string{"Tak, nu er den kommet!", "Den er stadig ikke kommet. Hvad nu?", "Jeg har ikke tid til at ringe rundt. Kan I ikke bare sende en ny?", "Super, tak for den hurtige hjælp."}},
	{tag: "faktura", weight: 14,
		subjects: []string{"Faktura trukket to gange", "Spørgsmål til faktura for ordre {order}", "Forkert beløb på fakturaen", "Mangler faktura med CVR", "Rykker modtaget selvom jeg har betalt"},
		opens: []string{"Hej, jeg kan se på min konto, at I har trukket beløbet for ordre {order} to gange. Jeg vil gerne have pengene retur.",
			"Vi har fået en rykker på ordre {order}, men vi betalte for {days} dage siden. Kan I rette det?",
			"Fakturaen på min {product} er 200 kr. højere end prisen på hjemmesiden. Ordre {order}.",
			"Jeg skal bruge fakturaen med firmaets CVR og EAN, ellers kan bogholderiet ikke betale. Ordre {order}."},
		goods: []string{"Hej {name}\nJeg er ked af, at du er blevet trukket to gange – det er ikke rart at opdage på kontoen. Jeg har sat det ene beløb retur i dag, så pengene står på din konto inden for 3-5 bankdage. Du får en kreditnota på mail.\nVenlig hilsen\n{agent}",
			"Hej {name}\nBeklager rykkeren, når I allerede har betalt. Jeg har fundet jeres betaling og annulleret rykkeren, og gebyret er fjernet. Hvilken mailadresse skal fremtidige fakturaer sendes til?\nMvh {agent}",
			"Hej {name}\nJeg kan se, at prisen på fakturaen ikke matcher tilbuddet, og det retter jeg selvfølgelig. Du får en ny faktura for ordre {order} i dag, og differencen bliver refunderet automatisk."},
		poors: []string{"Hej\nDu har tastet dit kortnummer forkert, så betalingen blev gennemført to gange. Du må kontakte banken.\nMvh {agent}",
			"Hej\nSOM JEG ALLEREDE HAR SKREVET er fakturaen korrekt. Prisen står tydeligt på ordrebekræftelsen.\n{agent}",
			"Hej. Har du tjekket om betalingen faktisk er gået igennem? Det plejer at være fordi banken er langsom.\n{agent}"},
		follows: []string{"Tak, det var hurtigt.", "Jeg har stadig ikke fået pengene.", "Hvorfor skal det tage 5 dage?", "Perfekt, tak."}},
	{tag: "login", weight: 12,
		subjects: []string{"Kan ikke logge ind", "Nulstil adgangskode virker ikke", "Konto låst", "Får ikke koden på sms", "Login-fejl i appen"},
		opens: []string{"Jeg kan ikke logge ind på min konto. Der står 'forkert adgangskode', selvom jeg har nulstillet den to gange.",
			"Min konto er blevet låst efter jeg prøvede at logge ind i appen. Jeg skal bruge min ordrehistorik til ordre {order}.",
			"Jeg får ikke nogen sms med koden, når jeg vil logge ind. Mit nummer er det samme som altid.",
			"Linket til at nulstille adgangskoden siger 'udløbet' hver gang, selvom jeg trykker med det samme."},
		goods: []string{"Hej {name}\nHvor frustrerende at blive låst ude, når man bare skal se sin ordre. Jeg har låst din konto op og sendt et nyt link, der virker i 24 timer. Hvad sker der, når du trykker på linket?\nVenlig hilsen\n{agent}",
			"Hej {name}\nDet er irriterende, når koden ikke kommer. Jeg kan se, at vores sms-udbyder havde en fejl i formiddags, og den er rettet nu. Tryk på 'Send ny kode', så kommer den inden for et minut.\nMvh {agent}"},
		poors: []string{"Hej\nDu har skrevet din adgangskode forkert for mange gange, så kontoen er låst. Prøv igen om en time.\n{agent}",
			"Hej {name}\nHar du prøvet at slette cookies? Måske virker det så.\n{agent}",
			"Hej\nMen det virker fint hos os. Har du læst vejledningen?\n{agent}"},
		follows: []string{"Nu virker det, tak!", "Det virker stadig ikke.", "Jeg har slettet cookies, men det hjalp ikke."}},
	{tag: "refusion", weight: 12,
		subjects: []string{"Refusion mangler", "Hvornår får jeg mine penge?", "Penge for returneret {product} ikke modtaget", "Delvis refusion"},
		opens: []string{"Jeg returnerede en {product} for {days} dage siden og har stadig ikke fået mine penge. Det er ikke i orden!",
			"Hvornår bliver beløbet for ordre {order} sat ind på min konto? I har modtaget varen ifølge {carrier}.",
			"Jeg har kun fået refunderet en del af beløbet for ordre {order}. Hvorfor?"},
		goods: []string{"Hej {name}\nJeg kan godt se, at du har ventet alt for længe på dine penge, og det beklager jeg. Din retur er registreret, og jeg har sat refusionen igennem i dag. Pengene står på din konto senest på torsdag.\nVenlig hilsen\n{agent}",
			"Hej {name}\nØv, det er ikke rart at mangle penge for en vare, man har sendt retur. Jeg har fundet pakken på vores lager i {city} og godkendt refusionen. Du får en kvittering på mail i dag."},
		poors: []string{"Hej\nRefusioner tager op til 14 dage. Som sagt er det normal behandlingstid.\n{agent}",
			"Hej\nDu burde have vedlagt returformularen, så havde det gået hurtigere. Vi kigger på det.\n{agent}"},
		follows: []string{"Pengene er kommet, tak.", "Jeg har stadig ikke fået noget.", "Tak for svaret."}},
	{tag: "retur", weight: 14,
		subjects: []string{"Returnering af {product}", "Ombytning til anden størrelse", "Returlabel virker ikke", "Fortrydelsesret på ordre {order}"},
		opens: []string{"Hej! Min {product} passede desværre ikke. Hvordan returnerer jeg den og får en anden størrelse? Ordre {order}.",
			"Returlabelen kan ikke scannes i pakkeshoppen i {city}. Hvad gør jeg?",
			"Jeg vil gerne fortryde købet af min {product}. Den er ikke pakket ud."},
		goods: []string{"Hej {name}\nHvor ærgerligt, at den ikke passede. Jeg har sendt dig en ny returlabel til {carrier} og reserveret den næste størrelse, så den bliver sendt, så snart vi har scannet din pakke. Hvilken størrelse skal jeg sætte på ordren?\nMvh {agent}",
			"Hej {name}\nTak fordi du skriver med det samme. Jeg har registreret din fortrydelse på ordre {order}. Aflever pakken hos {carrier} med labelen fra mailen, så refunderer jeg beløbet, når den er modtaget."},
		poors: []string{"Hej\nDu kan måske prøve at finde returlabelen på vores side. Det, der tit sker, er at folk bestiller den forkerte størrelse.\n{agent}",
			"Hej\nReturlabelen virker. Du må kontakte {carrier}, hvis de ikke kan scanne den.\n{agent}"},
		follows: []string{"Tak, pakken er sendt.", "Jeg kan ikke finde mailen med labelen.", "Fint, tak."}},
	{tag: "abonnement", weight: 10,
		subjects: []string{"Opsig abonnement", "Abonnement trukket efter opsigelse", "Skift abonnement", "Pause i kaffeabonnement"},
		opens: []string{"Jeg opsagde mit abonnement for en måned siden, men I har trukket betaling igen. Jeg vil have pengene retur.",
			"Kan jeg holde pause i mit abonnement i {days} dage, mens vi er på ferie?",
			"Jeg vil gerne skifte til det mindre abonnement fra næste måned."},
		goods: []string{"Hej {name}\nBeklager, at du er blevet trukket efter din opsigelse – det skal ikke ske. Jeg har stoppet abonnementet og refunderet den seneste betaling. Du får en bekræftelse på mail i dag.\nVenlig hilsen\n{agent}",
			"Hej {name}\nSelvfølgelig kan du holde pause. Jeg har sat abonnementet på pause fra næste levering, og det starter automatisk igen bagefter. Hvilken dato kommer I hjem?\nMvh {agent}"},
		poors: []string{"Hej\nDu har ikke opsagt korrekt. Det står tydeligt i betingelserne, at det skal ske via Min side.\n{agent}",
			"Hej\nVil du have at jeg opsiger det? Men så mister du rabatten.\n{agent}"},
		follows: []string{"Tak, det er fint.", "Det har jeg aldrig læst nogen steder.", "Tak for hjælpen."}},
	{tag: "reklamation", weight: 8,
		subjects: []string{"{product} virker ikke", "Defekt {product}", "Reklamation på ordre {order}", "Ødelagt ved levering"},
		opens: []string{"Min {product} holdt op med at virke efter {days} dage. Den tænder slet ikke. Ordre {order}.",
			"Pakken var helt mast, og {product} er ødelagt. Jeg har billeder.",
			"Der mangler en del i kassen med min {product}, ordre {order}."},
		goods: []string{"Hej {name}\nDet er skuffende, når en ny {product} ikke virker. Jeg har sendt en ny af sted i dag, og du får en returlabel til den defekte. Send gerne billederne som svar på denne mail, så tager jeg sagen med fragtfirmaet.\nMvh {agent}"},
		poors: []string{"Hej\nDu må kontakte producenten, vi sælger kun varen. Har du læst manualen?\n{agent}",
			"Hej\nDet plejer at være fordi den ikke er sat rigtigt sammen. Prøv at samle den igen!!\n{agent}"},
		follows: []string{"Tak, den nye virker.", "Billederne er vedhæftet.", "Jeg har samlet den tre gange nu."}},
}

var notesTexts = []string{"Intern note: kunden har skrevet to gange før om samme ordre – giv kompensation hvis det trækker ud.",
	"Intern note: {carrier} bekræfter at pakken er på terminalen.", "Intern note: refusion godkendt af økonomi.",
	"Intern note: tjek om ordre {order} er blevet sendt to gange.", "Intern note: eskaleret til teamlead."}

// generator makes tickets deterministic per seed; it keeps the customers it has created so some return.
type generator struct {
	r         *rand.Rand
	agents    []desk.User
	customers []int64
	names     []string
	start     time.Time
	step      time.Duration
	n         int
	total     int
	now       time.Time
}

func newGenerator(agents []desk.User, n int, now time.Time) *generator {
	span := 3 * 365 * 24 * time.Hour
	return &generator{r: rand.New(rand.NewPCG(42, uint64(n))), agents: agents, n: n, now: now,
		start: now.Add(-span), step: span / time.Duration(n+1)}
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) customer(b *store.Bulk, at time.Time) (int64, string, error) {
	// Six in ten tickets come from a new customer; the rest from returning ones, often the regulars.
	if len(g.customers) > 0 && g.r.IntN(10) >= 6 {
		var i int
		if g.r.IntN(2) == 0 {
			i = g.r.IntN(min(len(g.customers), 500))
		} else {
			i = g.r.IntN(len(g.customers))
		}
		return g.customers[i], g.names[i], nil
	}
	first, last := g.pick(firstNames), g.pick(lastNames)
	c := store.BulkCustomer{Name: first + " " + last, CreatedAt: at,
		Email: fmt.Sprintf("%s.%s.%d@%s", asciiFold(first), asciiFold(last), len(g.customers)+1, g.pick(domains))}
	if g.r.IntN(7) == 0 {
		c.Organisation = g.pick(orgs)
	}
	if g.r.IntN(30) == 0 {
		c.Notes = g.pick(notes)
	}
	id, err := b.AddCustomer(c)
	if err != nil {
		return 0, "", err
	}
	g.customers = append(g.customers, id)
	g.names = append(g.names, first)
	return id, first, nil
}

func asciiFold(s string) string {
	return strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa", "Æ", "Ae", "Ø", "Oe", "Å", "Aa").Replace(strings.ToLower(s))
}

func (g *generator) topic() *topic {
	total := 0
	for _, t := range topics {
		total += t.weight
	}
	x := g.r.IntN(total)
	for i := range topics {
		if x < topics[i].weight {
			return &topics[i]
		}
		x -= topics[i].weight
	}
	return &topics[0]
}

// ticket generates the i-th ticket (0 = oldest).
func (g *generator) ticket(b *store.Bulk, i int) error {
	created := g.start.Add(time.Duration(i)*g.step + time.Duration(g.r.Int64N(int64(g.step))))
	customerID, first, err := g.customer(b, created)
	if err != nil {
		return err
	}
	tp := g.topic()
	agent := g.agents[g.r.IntN(len(g.agents))]
	order := fmt.Sprintf("%d", 3000000+i)
	product := g.pick(products)
	fill := strings.NewReplacer("{product}", product, "{order}", order, "{carrier}", g.pick(carriers), "{city}", g.pick(cities),
		"{days}", fmt.Sprint(2+g.r.IntN(12)), "{name}", first, "{agent}", agent.Name)
	f := fill.Replace

	// Age decides the state: the newest 1.5 % still wait on us or the customer, the next 6 % are solved, the rest closed.
	age := float64(g.n-i) / float64(g.n)
	t := store.BulkTicket{Subject: f(tp.subjects[g.r.IntN(len(tp.subjects))]), CustomerID: customerID,
		Priority: desk.Priorities[[]int{0, 1, 1, 1, 1, 1, 2, 2, 3}[g.r.IntN(9)]], Channel: desk.Channels[g.r.IntN(4)],
		AssigneeID: agent.ID, CreatedAt: created, Tags: []string{tp.tag}}
	switch {
	case age < 0.015:
		t.Status = []desk.Status{desk.StatusNew, desk.StatusOpen, desk.StatusOpen, desk.StatusPending}[g.r.IntN(4)]
	case age < 0.075:
		t.Status = desk.StatusSolved
	default:
		t.Status = desk.StatusClosed
	}
	if g.r.IntN(8) == 0 {
		t.Tags = append(t.Tags, []string{"vip", "kompensation", "eskaleret", "b2b", "fejl"}[g.r.IntN(5)])
	}
	if t.Status == desk.StatusNew && g.r.IntN(2) == 0 {
		t.AssigneeID = 0
	}
	lang := "da"
	if g.r.IntN(40) == 0 {
		lang = "en"
	}
	t.Language = lang
	at := created
	later := func(max time.Duration) time.Time {
		at = at.Add(time.Minute + time.Duration(g.r.Int64N(int64(max))))
		if limit := g.now.Add(-time.Minute); at.After(limit) {
			at = limit
		}
		return at
	}
	opening := f(tp.opens[g.r.IntN(len(tp.opens))])
	if !strings.Contains(opening, order) {
		opening += " Mit ordrenummer er " + order + "."
	}
	opening += "\n\nVenlig hilsen\n" + first
	if lang == "en" {
		opening = fmt.Sprintf("Hi, I ordered a %s (order %s) and I still have not received it. Could you look into it? Thanks, %s", product, order, first)
	}
	t.Messages = append(t.Messages, store.BulkMessage{Body: opening, CreatedAt: created})
	t.Events = append(t.Events, store.BulkEvent{Field: "created", NewValue: string(t.Channel), CreatedAt: created})
	if t.Status != desk.StatusNew {
		reply := tp.goods[g.r.IntN(len(tp.goods))]
		if g.r.IntN(3) == 0 {
			reply = tp.poors[g.r.IntN(len(tp.poors))]
		}
		when := later(8 * time.Hour)
		t.FirstResponseAt = &when
		if g.r.IntN(6) == 0 {
			t.Messages = append(t.Messages, store.BulkMessage{AuthorUserID: agent.ID, Kind: desk.KindNote, Body: f(g.pick(notesTexts)), CreatedAt: when})
			when = later(time.Hour)
		}
		t.Messages = append(t.Messages, store.BulkMessage{AuthorUserID: agent.ID, Body: f(reply), CreatedAt: when})
		// Some conversations go back and forth before they end: about five messages a ticket on average, as in a real desk.
		for range []int{0, 1, 2, 2}[g.r.IntN(4)] {
			t.Messages = append(t.Messages, store.BulkMessage{Body: f(g.pick(tp.follows)), CreatedAt: later(24 * time.Hour)},
				store.BulkMessage{AuthorUserID: agent.ID, Body: f(tp.goods[g.r.IntN(len(tp.goods))]), CreatedAt: later(8 * time.Hour)})
		}
		t.Events = append(t.Events, store.BulkEvent{Field: "first_response", NewValue: when.Format(time.RFC3339), CreatedAt: when},
			store.BulkEvent{ActorUserID: agent.ID, Field: "status", OldValue: "new", NewValue: "open", CreatedAt: when})
		if g.r.IntN(2) == 0 {
			t.Messages = append(t.Messages, store.BulkMessage{Body: f(g.pick(tp.follows)), CreatedAt: later(48 * time.Hour)})
		}
	}
	switch t.Status {
	case desk.StatusPending:
		t.Events = append(t.Events, store.BulkEvent{ActorUserID: agent.ID, Field: "status", OldValue: "open", NewValue: "pending", CreatedAt: at})
	case desk.StatusSolved, desk.StatusClosed:
		solved := later(72 * time.Hour)
		t.SolvedAt = &solved
		t.Events = append(t.Events, store.BulkEvent{ActorUserID: agent.ID, Field: "status", OldValue: "open", NewValue: "solved", CreatedAt: solved})
		if t.Status == desk.StatusClosed {
			t.Events = append(t.Events, store.BulkEvent{Field: "status", OldValue: "solved", NewValue: "closed", CreatedAt: later(96 * time.Hour)})
		}
	}
	t.UpdatedAt = at
	_, err = b.AddTicket(&t)
	return err
}

// generate bulk-loads n tickets spread over the last three years.
func generate(ctx context.Context, st *store.Store, agents []desk.User, n int, mode store.BulkMode) (store.BulkStats, error) {
	g := newGenerator(agents, n, time.Now().UTC().Add(-30*time.Minute))
	return st.BulkLoad(ctx, store.BulkOptions{Mode: mode, Optimize: n >= 10000}, func(b *store.Bulk) error {
		for i := 0; i < n; i++ {
			if i%1000 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := g.ticket(b, i); err != nil {
				return err
			}
		}
		return nil
	})
}
