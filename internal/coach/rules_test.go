package coach

import (
	"strings"
	"testing"
)

// wrap puts a sentence into a realistic reply: greeting, an acknowledgment, the sentence, a
// closing line long enough for short-reply, and a sign-off, so only the rule under test can fire.
var wrappers = map[string][2]string{
	"da": {"Hej Anna,\nDet er jeg ked af at høre. ", " Jeg har sørget for, at din sag bliver behandlet i dag, og du hører fra mig senest i morgen formiddag.\nVenlig hilsen\nSofie"},
	"nb": {"Hei Anna,\nDet er jeg lei meg for. ", " Jeg har sørget for at saken din blir behandlet i dag, og du hører fra meg senest i morgen formiddag.\nVennlig hilsen\nSilje"},
	"sv": {"Hej Anna,\nJag beklagar att det har blivit så. ", " Jag har sett till att ditt ärende hanteras i dag, och du hör av mig senast i morgon förmiddag.\nVänliga hälsningar\nSara"},
	"en": {"Hi Anna,\nI'm sorry to hear about this. ", " I've made sure your case is handled today, and you'll hear from me by tomorrow morning at the latest.\nKind regards,\nSam"},
}

type fireCase struct {
	lang, rule, sentence, span string
}

// Texts that must fire, with the exact span the finding covers.
var mustFire = []fireCase{
	// blame: verb forms, tenses and word orders beyond the listed phrases
	{"da", "blame", "Pakken kom retur, fordi du tastede forkert.", "du tastede forkert"},
	{"da", "blame", "Du har udfyldt feltet med kontonummeret forkert.", "Du har udfyldt feltet med kontonummeret forkert"},
	{"da", "blame", "Du glemte at vedhæfte kvitteringen.", "Du glemte"},
	{"da", "blame", "Det er din egen skyld, at pakken blev returneret.", "din egen skyld"},
	{"da", "blame", "Hvis du havde læst mailen, ville du vide det.", "Hvis du havde læst"},
	{"da", "blame", "Du skulle bare have ringet i forvejen.", "Du skulle bare have"},
	{"da", "blame", "Det står tydeligt på fakturaen.", "Det står tydeligt"},
	{"da", "blame", "Chaufføren ringede, men du var ikke hjemme.", "du var ikke hjemme"},
	{"da", "blame", "Du har misforstået vores tilbud.", "Du har misforstået"},
	{"nb", "blame", "Du tastet inn feil kortnummer.", "Du tastet inn feil"},
	{"nb", "blame", "Du har ikke lest vilkårene våre.", "Du har ikke lest"},
	{"nb", "blame", "Du glemte å registrere kjøpet.", "Du glemte"},
	{"sv", "blame", "Du skrev fel postnummer i beställningen.", "Du skrev fel"},
	{"sv", "blame", "Du glömde att bekräfta bokningen.", "Du glömde"},
	{"sv", "blame", "Du har inte läst villkoren.", "Du har inte läst"},
	{"en", "blame", "You typed the postcode incorrectly.", "You typed the postcode incorrectly"},
	{"en", "blame", "You didn't follow the instructions in the email.", "You didn't follow"},
	{"en", "blame", "You should have checked the size guide.", "You should have"},
	{"en", "blame", "It is your own fault that the booking lapsed.", "your own fault"},
	{"en", "blame", "If you had read the terms, you would know this.", "If you had read"},

	// redirect: a third party as the object of a contact verb, in any order
	{"da", "redirect", "Henvend dig til banken, så hjælper de dig.", "Henvend dig til"},
	{"da", "redirect", "Du bedes selv kontakte PostNord.", "Du bedes selv kontakte"},
	{"da", "redirect", "Kontakt producenten for at få en ny oplader.", "Kontakt"},
	{"da", "redirect", "Så må du ringe til fragtfirmaet.", "må du ringe til"},
	{"da", "redirect", "Det er ikke vores ansvar, når pakken er afleveret.", "ikke vores ansvar"},
	{"nb", "redirect", "Du må kontakte banken din for å få pengene tilbake.", "Du må kontakte"},
	{"nb", "redirect", "Ta kontakt med produsenten for reparasjon.", "Ta kontakt med"},
	{"sv", "redirect", "Vänd dig till banken för att få tillbaka pengarna.", "Vänd dig till"},
	{"sv", "redirect", "Du får kontakta PostNord själv.", "Du får kontakta"},
	{"en", "redirect", "You'll need to contact the courier about this.", "You'll need to contact"},
	{"en", "redirect", "Please reach out to your bank to reverse the charge.", "Please reach out to"},
	{"en", "redirect", "That is not our responsibility once the parcel is delivered.", "not our responsibility"},
	{"da", "redirect", "Du kan kontakte GLS på 70 13 13 13.", "Du kan kontakte GLS"},
	{"da", "redirect", "Det er GLS, der har pakken, så det er dem, du skal tale med.", "du skal tale med"},
	{"da", "redirect", "Det kan du tage op med din forhandler.", "kan du tage op med"},
	{"da", "redirect", "Reklamationen skal sendes direkte til producenten.", "skal sendes direkte til producenten"},
	{"sv", "redirect", "Det får du ta upp med hyresvärden.", "får du ta upp med"},
	{"en", "redirect", "You can contact your bank to reverse the payment.", "You can contact your bank"},
	{"da", "redirect", "Jeg vil anbefale, at du kontakter din bank.", "anbefale, at du kontakter"},
	{"sv", "redirect", "Jag rekommenderar att du kontaktar banken.", "rekommenderar att du kontaktar"},
	{"en", "redirect", "I'd recommend contacting your card provider.", "recommend contacting"},
	{"da", "blame", "Fejlen opstod, fordi du ikke havde opdateret appen.", "fordi du ikke havde opdateret"},
	{"en", "blame", "It failed because you didn't update the app.", "because you didn't update"},

	// assumption
	{"da", "assumption", "Det skyldes som regel, at cachen er fuld.", "skyldes som regel"},
	{"da", "assumption", "Typisk er det fordi, browseren er forældet.", "Typisk er det fordi"},
	{"nb", "assumption", "Det skjer ofte at appen ikke er oppdatert.", "skjer ofte"},
	{"sv", "assumption", "Det beror oftast på att appen är gammal.", "beror oftast"},
	{"en", "assumption", "This usually happens because the cache is full.", "usually happens"},
	{"en", "assumption", "What typically happens is that the app logs you out.", "What typically happens"},

	// closed-question: question shape from a finite first verb, not a word list
	{"da", "closed-question", "Virker linket nu?", "Virker linket nu?"},
	{"da", "closed-question", "Kunne du tænke dig en ny størrelse?", "Kunne du tænke dig en ny størrelse?"},
	{"da", "closed-question", "Hvis det ikke virker, kan du så ringe til mig?", "Hvis det ikke virker, kan du så ringe til mig?"},
	{"nb", "closed-question", "Fungerer appen nå?", "Fungerer appen nå?"},
	{"nb", "closed-question", "Kan du sende meg et bilde av skaden?", "Kan du sende meg et bilde av skaden?"},
	{"sv", "closed-question", "Fungerar appen nu?", "Fungerar appen nu?"},
	{"sv", "closed-question", "Har du startat om telefonen?", "Har du startat om telefonen?"},
	{"en", "closed-question", "Did you get the confirmation email?", "Did you get the confirmation email?"},
	{"en", "closed-question", "Could you send me a photo of the label?", "Could you send me a photo of the label?"},
	{"da", "closed-question", "Du har fået mailen, ikke?", "Du har fået mailen, ikke?"},
	{"sv", "closed-question", "Du har fått mejlet, eller hur?", "Du har fått mejlet, eller hur?"},
	{"en", "closed-question", "You got the email, right?", "You got the email, right?"},

	// weak-word: exactly the listed words and their inflections
	{"da", "weak-word", "Du kan prøve at logge ud og ind igen.", "prøve at logge"},
	{"da", "weak-word", "Det løser muligvis problemet.", "muligvis"},
	{"da", "weak-word", "Jeg troede, at pakken var sendt.", "troede"},
	{"nb", "weak-word", "Det løser muligens problemet.", "muligens"},
	{"nb", "weak-word", "Forhåpentligvis kommer pakken i morgen.", "Forhåpentligvis"},
	{"sv", "weak-word", "Försök att logga in igen.", "Försök att logga"},
	{"sv", "weak-word", "Det löser möjligen problemet.", "möjligen"},
	{"en", "weak-word", "Maybe the parcel is at a neighbour's.", "Maybe the"},
	{"en", "weak-word", "I think the refund will arrive on Monday.", "I think"},
	{"en", "weak-word", "It might take a few days.", "might"},
	{"en", "weak-word", "Try restarting the router.", "Try"},

	// false-agreement
	{"da", "false-agreement", "Det kan jeg sagtens forstå.", "Det kan jeg sagtens forstå"},
	{"da", "false-agreement", "I har helt ret i, at det er for dårligt.", "I har helt ret"},
	{"nb", "false-agreement", "Jeg forstår godt at du er irritert.", "Jeg forstår godt"},
	{"sv", "false-agreement", "Det förstår jag verkligen.", "Det förstår jag verkligen"},
	{"en", "false-agreement", "You're absolutely right about that.", "You're absolutely right"},
	{"en", "false-agreement", "I can completely understand that.", "I can completely understand"},

	// escalation
	{"da", "escalation", "Som tidligere nævnt sender vi ikke til Grønland.", "Som tidligere nævnt"},
	{"da", "escalation", "Jeg gentager: ordren er annulleret.", "Jeg gentager"},
	{"da", "escalation", "Det er ALTSÅ ikke MULIGT.", "ALTSÅ"},
	{"nb", "escalation", "Som nevnt tidligere kan vi ikke refundere.", "Som nevnt"},
	{"sv", "escalation", "Som jag redan har skrivit kan vi inte byta.", "Som jag redan har skrivit"},
	{"sv", "escalation", "Det går inte!!", "!!"},
	{"en", "escalation", "As I already said, the refund is on its way.", "As I already said"},
	{"en", "escalation", "For the third time, the order has shipped.", "For the third time"},
	{"en", "escalation", "This is NOT something we CAN change.", "NOT"},

	// no-but, both forms
	{"da", "no-but", "Men vi kan godt bytte den.", "Men vi kan godt bytte den."},
	{"nb", "no-but", "Men vi kan bytte den.", "Men vi kan bytte den."},
	{"sv", "no-but", "Men vi kan byta den.", "Men vi kan byta den."},
	{"en", "no-but", "However, we can exchange it.", "However, we can exchange it."},
	{"da", "no-but", "Hvor ærgerligt, men vi kan ikke refundere.", ", men vi"},
	{"en", "no-but", "I'm really sorry, but we cannot refund it.", ", but we"},
}

type missCase struct {
	lang, rule, sentence string
}

// Near misses that must not fire.
var mustNotFire = []missCase{
	{"da", "blame", "Adressen på ordren var ikke komplet, så jeg har rettet den."},
	{"da", "blame", "Det er ikke din fejl, at pakken er forsinket."},
	{"da", "blame", "Du skriver, at varen var forkert."},
	{"da", "blame", "Hvis du har glemt din adgangskode, kan du nulstille den under Log ind."},
	{"da", "blame", "Du burde have modtaget en mail fra os i går."},
	{"da", "blame", "Har du glemt din kode, så sender jeg en ny."},
	{"nb", "blame", "Det var vår feil, og vi har rettet den."},
	{"sv", "blame", "Det är inte ditt fel att paketet är försenat."},
	{"en", "blame", "It's not your fault that the parcel is late."},
	{"en", "blame", "If you've forgotten your password, you can reset it."},
	{"en", "blame", "You should have received an email from us yesterday."},
	{"en", "blame", "The invoice went to your old address, which is why you didn't see it."},

	{"da", "redirect", "Jeg har kontaktet GLS, og de leverer i morgen."},
	{"da", "redirect", "Du er velkommen til at kontakte os, hvis du har spørgsmål."},
	{"da", "redirect", "Skriv til mig, hvis du vil have en ny størrelse."},
	{"da", "redirect", "Du skal ikke kontakte banken; det klarer jeg."},
	{"da", "redirect", "Pakken ligger hos GLS i Taulov."},
	{"da", "redirect", "Du kan kontakte os på 70 13 13 13 alle hverdage."},
	{"da", "redirect", "Jeg vil anbefale, at du kontakter os, hvis det sker igen."},
	{"en", "redirect", "I'd recommend contacting us again if it happens."},
	{"en", "redirect", "You can contact us any time by phone."},
	{"nb", "redirect", "Du trenger ikke å kontakte butikken."},
	{"sv", "redirect", "Jag har kontaktat säljaren åt dig."},
	{"en", "redirect", "I've contacted the courier and they will deliver tomorrow."},
	{"en", "redirect", "Please contact us if anything else comes up."},
	{"en", "redirect", "You don't need to contact your bank."},

	{"da", "assumption", "Hvad skete der, da du trykkede Gem?"},
	{"da", "assumption", "Vi sender normalt samme dag."},
	{"en", "assumption", "Refunds usually take three to five working days."},
	{"sv", "assumption", "Vi skickar oftast paket samma dag."},

	{"da", "closed-question", "Hvad har du allerede prøvet?"},
	{"da", "closed-question", "Hvornår skete det?"},
	{"da", "closed-question", "Hvilken størrelse passer dig bedst?"},
	{"nb", "closed-question", "Når skjedde det?"},
	{"sv", "closed-question", "Vad hände när du loggade in?"},
	{"en", "closed-question", "What have you tried so far?"},
	{"en", "closed-question", "Which day suits you best?"},
	{"da", "closed-question", "Efter hvor mange dage kom pakken?"},
	{"da", "closed-question", "Hvorfor virker den ikke?"},
	{"en", "closed-question", "Which one is right?"},

	{"da", "weak-word", "Hvad har du allerede prøvet?"},
	{"da", "weak-word", "Din prøveperiode er forlænget med en uge."},
	{"nb", "weak-word", "Hva har du allerede prøvd?"},
	{"sv", "weak-word", "Vad har du redan provat?"},
	{"sv", "weak-word", "Din provperiod är förlängd."},
	{"en", "weak-word", "What have you tried so far?"},
	{"en", "weak-word", "Your free trial has been extended."},
	{"en", "weak-word", "I'll make sure it ships today."},

	{"da", "false-agreement", "Du har ret til at fortryde købet i 14 dage."},
	{"da", "false-agreement", "Jeg kan forstå på din mail, at pakken ikke er kommet."},
	{"nb", "false-agreement", "Du har rett til å angre kjøpet."},
	{"sv", "false-agreement", "Du har rätt att ångra köpet inom 14 dagar."},
	{"en", "false-agreement", "You'll get the refund right away."},

	{"da", "escalation", "Vi sender en ny pakke i dag."},
	{"da", "escalation", "Du får en SMS fra GLS og en PDF på mail."},
	{"da", "escalation", "Opdater til den NYESTE version."},
	{"da", "escalation", "Vi har den i XXL og XXXL til 499 DKK eller 67 EUR."},
	{"en", "escalation", "You will get an SMS and a PDF from DHL."},
	{"en", "escalation", "Thanks so much!"},

	{"da", "no-but", "Abonnementet giver ikke kun mere data, men også fri roaming."},
	{"da", "no-but", "Du kan finde den i menuen, hvis du mener, det er bedre."},
	{"da", "no-but", "Pakken var klar, men etiketten var forkert."},
	{"nb", "no-but", "Maten var klar i tide, men etiketten var feil."},
	{"sv", "no-but", "Det gäller inte bara appen utan även webben."},
	{"en", "no-but", "Your plan includes not just data but also roaming."},
	{"en", "no-but", "Press the button to continue."},
	{"da", "closed-question", "Du skrev: \"Kan I ringe mig i morgen?\" Det gør jeg gerne kl. 10."},
	{"da", "escalation", "Du skrev \"DET ER FOR DÅRLIGT\", og det forstår jeg."},
	{"en", "no-but", "You wrote: \"But nobody told us why.\" The kitchen was short-staffed."},
}

func lintIn(lang, sentence string) (Result, string) {
	w := wrappers[lang]
	text := w[0] + sentence + w[1]
	return Default().Lint(text, Options{Lang: lang}), text
}

func TestRulesFire(t *testing.T) {
	for _, tc := range mustFire {
		checkFires(t, tc)
	}
}

// checkFires: the rule fires on the sentence with exactly the span, and nothing else fires around it.
func checkFires(t *testing.T, tc fireCase) {
	t.Helper()
	res, text := lintIn(tc.lang, tc.sentence)
	start := strings.Index(text, tc.span)
	found := false
	var got []string
	for _, f := range res.Findings {
		if f.Rule == tc.rule {
			got = append(got, f.Text)
			if f.Start == start && f.End == start+len(tc.span) && f.Text == tc.span {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("%s %s: %q: want span %q, got %q", tc.lang, tc.rule, tc.sentence, tc.span, got)
	}
	// the wrapper itself must be clean of every other error/warning
	for _, f := range res.Findings {
		if f.Rule != tc.rule && f.Severity != SevSuggestion && !overlaps(f, start, start+len(tc.sentence)+len(tc.span)) {
			t.Errorf("%s %s: %q: unexpected %s on %q", tc.lang, tc.rule, tc.sentence, f.Rule, f.Text)
		}
	}
}

func overlaps(f Finding, s, e int) bool { return f.Start < e && s < f.End }

func TestRulesNearMisses(t *testing.T) {
	for _, tc := range mustNotFire {
		checkQuiet(t, tc)
	}
}

// checkQuiet: the rule does not fire anywhere in the wrapped sentence.
func checkQuiet(t *testing.T, tc missCase) {
	t.Helper()
	res, _ := lintIn(tc.lang, tc.sentence)
	for _, f := range res.Findings {
		if f.Rule == tc.rule {
			t.Errorf("%s %s: %q: must not fire, got %q", tc.lang, tc.rule, tc.sentence, f.Text)
		}
	}
}

// Whole-reply rules: acknowledge, short-reply, greeting.
func TestWholeReplyRules(t *testing.T) {
	long := map[string]string{
		"da": " Jeg har sendt en ny pakke til dig i dag, og du får et track and trace-link på SMS i aften, så du kan følge den hele vejen hjem til døren.",
		"nb": " Jeg har sendt en ny pakke til deg i dag, og du får en sporingslenke på SMS i kveld, så du kan følge den hele veien hjem til døra.",
		"sv": " Jag har skickat ett nytt paket till dig i dag, och du får en spårningslänk via SMS i kväll, så att du kan följa det hela vägen hem till dörren.",
		"en": " I've sent a new parcel to you today, and you'll get a tracking link by text tonight, so you can follow it all the way to your door.",
	}
	cases := []struct {
		lang, rule, text string
		fire             bool
		opt              Options
	}{
		{"da", "acknowledge", "Hej Jens.\nDin ordre er afsendt i dag." + long["da"], true, Options{}},
		{"da", "acknowledge", "Hej Jens.\nDin ordre er afsendt i dag." + long["da"], false, Options{NoAcknowledge: true}},
		{"da", "acknowledge", "Hej Jens. Ej, hvor irriterende at pakken ikke er kommet." + long["da"], false, Options{}},
		{"da", "acknowledge", "Hej Jens,\nSikke en omgang du har haft med den pakke." + long["da"], false, Options{}},
		{"da", "acknowledge", "Hej Jens,\nTak for din henvendelse." + long["da"], true, Options{}},
		{"nb", "acknowledge", "Hei Per,\nSå leit at pakken er forsinket." + long["nb"], false, Options{}},
		{"nb", "acknowledge", "Hei Per,\nTakk for meldingen." + long["nb"], true, Options{}},
		{"sv", "acknowledge", "Hej Per,\nVad tråkigt att paketet är försenat." + long["sv"], false, Options{}},
		{"sv", "acknowledge", "Hej Per,\nTack för ditt mejl." + long["sv"], true, Options{}},
		{"en", "acknowledge", "Hi Pat,\nHow frustrating that the parcel is late." + long["en"], false, Options{}},
		{"en", "acknowledge", "Hi Pat,\nThanks for reaching out." + long["en"], true, Options{}},
		{"da", "short-reply", "Hej. Den er sendt. Mvh Anna", true, Options{}},
		{"da", "short-reply", "Hej Jens,\nDet er jeg ked af." + long["da"] + "\nMvh Anna", false, Options{}},
		{"en", "short-reply", "Hi Tom,\nIt has shipped.\nBest,\nAmy", true, Options{}},
		{"da", "greeting", "Din ordre er sendt.", true, Options{}},
		{"da", "greeting", "Hej Maria,\nDin ordre er sendt.", false, Options{}},
		{"sv", "greeting", "Hej Maria,\nDin order är skickad.", false, Options{}},
		{"en", "greeting", "Dear Maria,\nYour order has shipped.", false, Options{}},
		{"nb", "greeting", "Pakken er sendt.", true, Options{}},
	}
	for _, tc := range cases {
		opt := tc.opt
		opt.Lang = tc.lang
		res := Default().Lint(tc.text, opt)
		got := false
		for _, f := range res.Findings {
			if f.Rule == tc.rule {
				got = true
			}
		}
		if got != tc.fire {
			t.Errorf("%s %s: %q: fired=%v, want %v (%v)", tc.lang, tc.rule, tc.text, got, tc.fire, res.Findings)
		}
	}
}
