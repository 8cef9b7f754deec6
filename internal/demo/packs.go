package demo

import (
	"context"
	"fmt"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/rules"
	"coachdesk/internal/store"
)

// DanishExamples are the demo's tests of every Danish rule: one text each that must fire and one
// that must not. They change nothing the coach says; the pack's history shows them arriving.
var DanishExamples = map[string][]coach.Example{
	coach.RuleAcknowledge: {
		{Text: "Hej Per. Din ordre blev sendt i morges med GLS, og du kan følge den på vores side.", Fire: true},
		{Text: "Hej Per. Hvor ærgerligt, at pakken ikke er nået frem endnu. Jeg har sendt en ny i dag."},
	},
	coach.RuleFalseAgreement: {
		{Text: "Hej Per. Det kan jeg godt forstå. Jeg sender en ny pakke i dag.", Fire: true, Span: "Det kan jeg godt forstå"},
		{Text: "Hej Per. Du har ret til at fortryde købet inden for 14 dage, og jeg har sendt dig en returlabel."},
	},
	coach.RuleNoBut: {
		{Text: "Hej Per. Vi har modtaget varen. Men vi kan ikke refundere fragten.", Fire: true, Span: "Men"},
		{Text: "Hej Per. Vi refunderer ikke kun varen, men også fragten. Pengene er på vej."},
	},
	coach.RuleClosedQuestion: {
		{Text: "Hej Per. Har du genstartet routeren?", Fire: true},
		{Text: "Hej Per. Hvad skete der, da du genstartede routeren?"},
	},
	coach.RuleWeakWord: {
		{Text: "Hej Per. Pakken kommer måske i morgen.", Fire: true, Span: "måske"},
		{Text: "Hej Per. Hvad har du allerede prøvet for at komme ind på kontoen?"},
	},
	coach.RuleBlame: {
		{Text: "Hej Per. Du har tastet postnummeret forkert.", Fire: true},
		{Text: "Hej Per. Postnummeret på ordren manglede et tal, så jeg har rettet det."},
	},
	coach.RuleRedirect: {
		{Text: "Hej Per. Du må selv kontakte PostNord om pakken.", Fire: true},
		{Text: "Hej Per. Jeg har kontaktet PostNord, og de leverer pakken i morgen."},
	},
	coach.RuleAssumption: {
		{Text: "Hej Per. Det sker tit, at browseren husker en gammel side.", Fire: true},
		{Text: "Hej Per. Hvad står der på skærmen, når du trykker Gem?"},
	},
	coach.RuleEscalation: {
		{Text: "Hej Per. Som jeg allerede har skrevet, er det ikke muligt!!", Fire: true},
		{Text: "Hej Per. Vi sender en ny pakke med GLS i dag."},
	},
	coach.RuleShortReply: {
		{Text: "Hej Per. Den er sendt. Mvh Anna", Fire: true},
		{Text: "Hej Per. Hvor ærgerligt, at pakken er forsinket. Jeg har talt med fragtfirmaet, og de kører den ud i morgen formiddag. Du får en sms med et tidsrum, når chaufføren er på vej, og jeg holder selv øje med den."},
	},
	coach.RuleGreeting: {
		{Text: "Din ordre er sendt i dag, og du får en mail med sporingsnummeret.", Fire: true},
		{Text: "Hej Per, din ordre er sendt i dag, og du får en mail med sporingsnummeret."},
	},
}

// seedPacks publishes two versions of the Danish pack, so the rules page's history has something to
// show: the examples, then notes on the weak words and one more example from a review.
func seedPacks(ctx context.Context, st *store.Store, admin desk.User) error {
	p, err := DanishPackWithExamples()
	if err != nil {
		return err
	}
	if _, err := rules.Store(ctx, st, p, 0, admin, "Eksempler på hver regel, så en ændring kan testes", nil); err != nil {
		return err
	}
	weak := "rules.weak-word.entries[1].words"
	p.Notes = map[string]map[string]string{weak: {"måske": "Kunden hører, at vi ikke ved det", "muligvis": "Samme som måske, bare mere formelt"}}
	p.Examples[coach.RuleWeakWord] = append(p.Examples[coach.RuleWeakWord],
		coach.Example{Text: "Hej Per. Hvilke trin har du allerede prøvet, før du skrev til os?", Note: "Fra en gennemgang: et åbent spørgsmål om, hvad kunden har prøvet"})
	if rs, err := coach.RunExamples(p); err != nil || len(coach.Failing(rs)) > 0 {
		return fmt.Errorf("demo: the Danish examples fail: %v %+v", err, coach.Failing(rs))
	}
	_, err = rules.Store(ctx, st, p, 1, admin, "Noter på de svage ord og et eksempel fra en gennemgang", nil)
	return err
}

// DanishPackWithExamples is the embedded Danish pack with DanishExamples.
func DanishPackWithExamples() (*coach.Pack, error) {
	ps, err := coach.DefaultPacks()
	if err != nil {
		return nil, err
	}
	p := ps[0]
	p.Examples = map[string][]coach.Example{}
	for id, xs := range DanishExamples {
		p.Examples[id] = append([]coach.Example(nil), xs...)
	}
	return p, nil
}
