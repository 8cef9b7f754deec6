package coach

import "testing"

// Table tests per mechanism of issue 11, in all four languages: each must fire with its exact
// span, each near miss must stay quiet. Every example sentence of the issue is here; the rest
// are written for these tests.
type mechanism struct {
	name  string
	fire  []fireCase
	quiet []missCase
}

var mechanisms = []mechanism{
	{name: "a present verb ending in -ed is not a past action", fire: []fireCase{
		{"en", "blame", "You installed the update yourself, so the old settings were lost.", "You installed the update yourself"},
	}, quiet: []missCase{
		{"en", "blame", "The bank says you need to visit them yourself for a new PIN, so I have booked a time with them for you."},
		{"en", "blame", "For the new card you need to sign yourself, so the courier will ask for your ID."},
	}},
	{name: "yes/no question the writer answers at once", fire: []fireCase{
		{"da", "closed-question", "Kan jeg fortryde mit køb? Skriv til os.", "Kan jeg fortryde mit køb?"},
		{"en", "closed-question", "Can I cancel my order?\nNo worries if not, we can also refund it.", "Can I cancel my order?"},
		{"nb", "closed-question", "Har du fått pakken? Nei? Da sender jeg en ny.", "Har du fått pakken?"},
	}, quiet: []missCase{
		{"da", "closed-question", "Kan jeg fortryde mit køb?\nJa. Du har 14 dages fortrydelsesret fra den dag, du modtager varen."},
		{"nb", "closed-question", "Kan jeg bytte størrelse?\nJa, du kan bytte gratis innen 30 dager."},
		{"sv", "closed-question", "Går det att ändra adressen? Nej, inte när paketet har lämnat lagret."},
		{"en", "closed-question", "Can I cancel my order?\nYes. You have 14 days from the day the item arrives."},
	}},
	{name: "frequency asked in an open question", fire: []fireCase{
		// stated, the frequency presumes the cause
		{"sv", "assumption", "Det händer oftast när routern är gammal.", "händer oftast"},
		{"en", "assumption", "This usually happens because the router is old.", "usually happens"},
		{"da", "assumption", "Det sker tit, at browseren gemmer en gammel side.", "sker tit"},
		// a statement before a yes/no question still presumes
		{"en", "assumption", "This usually happens because the cache is full, can you clear it?", "usually happens"},
	}, quiet: []missCase{
		{"sv", "assumption", "När på kvällen händer det oftast?"},
		{"en", "assumption", "At what time in the evening does it usually happen?"},
		{"da", "assumption", "Hvornår på dagen sker det oftest?"},
		{"nb", "assumption", "Hva skjer vanligvis rett før appen lukker seg?"},
	}},
	{name: "conditional clauses", fire: []fireCase{
		// the same words as a statement are blame
		{"da", "blame", "Du har mistet dit kort, så det er spærret nu.", "Du har mistet"},
		{"nb", "blame", "Du har mistet kortet ditt, så det er sperret nå.", "Du har mistet"},
		{"sv", "blame", "Du har glömt lösenordet igen.", "Du har glömt"},
		{"en", "blame", "You have lost your card, so it has been blocked.", "You have lost"},
		{"en", "blame", "You've lost the receipt, so we cannot refund it.", "You've lost"},
		// inverted conditionals are counterfactual blame
		{"da", "blame", "Havde du læst mailen, ville du have vidst det.", "Havde du læst"},
		{"nb", "blame", "Hadde du lest e-posten, ville du visst det.", "Hadde du lest"},
		{"sv", "blame", "Hade du läst mejlet, hade du vetat det.", "Hade du läst"},
		{"en", "blame", "Had you checked the size chart, you would have ordered a medium.", "Had you checked"},
		// the pluperfect after "if" is counterfactual too
		{"da", "blame", "Hvis du havde fulgt vejledningen, var det ikke sket.", "Hvis du havde fulgt"},
		{"en", "blame", "If you had followed the guide, this would not have happened.", "If you had followed"},
		// a verb-first condition before a yes/no question: the question is judged after the comma
		{"da", "closed-question", "Virker det ikke, kan du så sende et skærmbillede?", "Virker det ikke, kan du så sende et skærmbillede?"},
		{"en", "closed-question", "Should it still fail, could you send a screenshot?", "Should it still fail, could you send a screenshot?"},
	}, quiet: []missCase{
		{"da", "blame", "Hvis du har mistet dit kort, spærrer jeg det med det samme."},
		{"da", "blame", "Hvis du har glemt at vedhæfte kvitteringen, kan du bare sende den nu."},
		{"da", "blame", "Har du mistet kortet, spærrer jeg det med det samme."},
		{"nb", "blame", "Hvis du har mistet kortet ditt, sperrer jeg det med en gang."},
		{"nb", "blame", "Dersom du har glemt passordet, kan du lage et nytt under Logg inn."},
		{"sv", "blame", "Om du har glömt lösenordet, kan du välja ett nytt på inloggningssidan."},
		{"sv", "blame", "Ifall du har tappat kortet spärrar jag det direkt."},
		{"en", "blame", "If you have lost your card, I can block it right away."},
		{"en", "blame", "If you didn't get the code, I will send a new one."},
		{"en", "blame", "In case you forgot to attach the receipt, just reply with it here."},
		// a general "when" describes how things work
		{"da", "blame", "Når du har tastet koden forkert tre gange, bliver kortet spærret."},
		{"nb", "blame", "Når du har tastet feil kode tre ganger, blir kortet sperret."},
		{"sv", "blame", "När du har skrivit fel kod tre gånger spärras kortet."},
		{"en", "blame", "When you have entered the wrong code three times, the card is blocked."},
		// a condition introduced after the main clause
		{"da", "blame", "Jeg sender gerne en ny kode, hvis du har glemt den gamle."},
		{"en", "blame", "I'm happy to send a new code if you have forgotten the old one."},
		{"da", "closed-question", "Virker det ikke, sender jeg dig en ny kode."},
		{"da", "closed-question", "Virker det ikke, hvad står der så på skærmen?"},
		{"nb", "closed-question", "Fungerer det ikke, hva står det da på skjermen?"},
		{"sv", "closed-question", "Fungerar det inte, vad står det då på skärmen?"},
		{"en", "closed-question", "Should it still fail, what does the screen show?"},
	}},

	{name: "who speaks and about whom", fire: []fireCase{
		{"da", "weak-word", "Jeg tror, at pakken kommer i morgen.", "tror"},
		{"da", "weak-word", "Vi prøver at finde pakken.", "prøver"},
		{"nb", "weak-word", "Jeg tror pakken kommer i morgen.", "tror"},
		{"nb", "weak-word", "Vi prøver å finne pakken.", "prøver"},
		{"sv", "weak-word", "Jag tror att paketet kommer i morgon.", "tror"},
		{"sv", "weak-word", "Vi försöker hitta paketet.", "försöker"},
		{"en", "weak-word", "I think the parcel arrives tomorrow.", "I think"},
		{"en", "weak-word", "We are trying to find the parcel.", "trying"},
		{"da", "weak-word", "Så kan du prøve at logge ud og ind igen.", "prøve at logge"},
		{"en", "weak-word", "You could try restarting the router.", "try"},
		// the customer in the present is the writer's suggestion
		{"da", "weak-word", "Hvis du prøver at logge ind igen, burde det virke.", "prøver"},
		{"nb", "weak-word", "Hvis du prøver å logge inn igjen, skal det virke.", "prøver"},
		{"sv", "weak-word", "Om du försöker logga in igen bör det fungera.", "försöker"},
		{"en", "weak-word", "If you try logging in again, it should work.", "try"},
		{"da", "closed-question", "Har du prøvet at genstarte telefonen?", "Har du prøvet at genstarte telefonen?"},
		// a request is the writer's: weak and closed both
		{"da", "weak-word", "Kunne du prøve at trække stikket ud?", "prøve at trække"},
		{"en", "weak-word", "Could you try unplugging it for a minute?", "try"},
		// our own staff act for the writer
		{"da", "weak-word", "Vores chauffør prøver igen i morgen.", "prøver"},
		{"en", "weak-word", "Our driver will try again tomorrow.", "try"},
		{"en", "closed-question", "Have you tried restarting the phone?", "Have you tried restarting the phone?"},
	}, quiet: []missCase{
		{"da", "weak-word", "Hvis du tror, at pakken er væk, sporer jeg den med det samme."},
		{"da", "weak-word", "Jeg kan se, at du allerede har prøvet at genstarte routeren."},
		{"da", "weak-word", "Chaufføren prøver igen i morgen formiddag."},
		{"da", "weak-word", "Har du prøvet at genstarte telefonen?"},
		{"nb", "weak-word", "Jeg ser at du allerede har prøvd å starte ruteren på nytt."},
		{"nb", "weak-word", "Sjåføren prøver igjen i morgen formiddag."},
		{"nb", "weak-word", "Hvis du tror at pakken er borte, sporer jeg den med en gang."},
		{"sv", "weak-word", "Jag ser att du redan har provat att starta om routern."},
		{"sv", "weak-word", "Budet försöker igen i morgon förmiddag."},
		{"sv", "weak-word", "Om du tror att paketet har kommit bort, spårar jag det direkt."},
		{"en", "weak-word", "I can see you've already tried restarting the router."},
		{"en", "weak-word", "The driver will try again tomorrow morning."},
		{"en", "weak-word", "If you think the parcel is lost, I will trace it right away."},
		{"en", "weak-word", "Have you tried restarting the phone?"},
		// the customer's attempt seen or reported
		{"da", "weak-word", "Jeg kan se, at du prøver at betale med MobilePay."},
		{"da", "weak-word", "Du prøvede at betale to gange i går, ser jeg."},
		{"sv", "weak-word", "Jag ser att du försöker betala med Swish."},
		{"en", "weak-word", "I can see that you try to pay by card."},
		{"en", "weak-word", "If you tried to pay twice, only one payment went through."},
		// blame needs the customer as the one at fault
		{"da", "blame", "Vi har glemt at sende kvitteringen med."},
		{"en", "blame", "The courier forgot to scan the parcel."},
		// the customer's own account, reported back, is a summary, not blame
		{"da", "blame", "Du skriver, at du har glemt koden, så jeg har sendt dig en ny."},
		{"nb", "blame", "Du skriver at du har glemt passordet, så jeg har sendt et nytt."},
		{"sv", "blame", "Du skriver att du har glömt lösenordet, så jag har skickat ett nytt."},
		{"en", "blame", "You mentioned that you forgot your password, so I've sent a new one."},
		// sympathy for what happened to the customer is not blame
		{"da", "blame", "Jeg er ked af, at du har glemt din kode igen, så jeg har sendt en ny."},
		{"nb", "blame", "Så leit at du har mistet kortet ditt."},
		{"sv", "blame", "Vad tråkigt att du har tappat kortet."},
		{"en", "blame", "Sorry you missed our call yesterday, I will ring again at ten."},
		// "should be able to" is a promise, and a negated fault is no fault
		{"da", "blame", "Du burde kunne se pengene på din konto i morgen."},
		{"nb", "blame", "Du burde kunne se pengene på kontoen din i morgen."},
		{"sv", "blame", "Du borde kunna se pengarna på kontot i morgon."},
		{"en", "blame", "You should be able to see the money in your account tomorrow."},
		{"da", "blame", "Det er på ingen måde din skyld, at pakken er blevet væk."},
		{"en", "blame", "It's in no way your fault that the parcel went missing."},
	}},

	{name: "who the customer is sent to", fire: []fireCase{
		{"da", "redirect", "Spørg din teleudbyder om det.", "Spørg din teleudbyder"},
		{"da", "redirect", "Det er butikken, der skal hjælpe dig.", "Det er butikken, der skal hjælpe"},
		{"nb", "redirect", "Spør teleselskapet om det.", "Spør teleselskapet"},
		{"nb", "redirect", "Det er butikken som må hjelpe deg.", "Det er butikken som må hjelpe"},
		{"sv", "redirect", "Vänd dig till banken.", "Vänd dig till"},
		{"sv", "redirect", "Fråga din teleoperatör om det.", "Fråga din teleoperatör"},
		{"sv", "redirect", "Det är butiken som ska hjälpa dig.", "Det är butiken som ska hjälpa"},
		{"en", "redirect", "The courier is the one to ask about that.", "The courier is the one to ask"},
		{"en", "redirect", "Ask your provider about it.", "Ask your provider"},
		{"da", "redirect", "Det må du spørge banken om.", "Det må du spørge banken om"},
		{"da", "redirect", "Din bank kan hjælpe dig med at stoppe betalingen.", "Din bank kan hjælpe dig"},
		{"nb", "redirect", "Det må du spørre banken om.", "Det må du spørre banken om"},
		{"sv", "redirect", "Det får du fråga banken om.", "Det får du fråga banken om"},
		{"en", "redirect", "Your bank can help you stop the payment.", "Your bank can help you"},
		{"en", "redirect", "It's your bank that can help with the refund.", "It's your bank that can help"},
		{"en", "redirect", "Your bank is the best place to ask about the charge.", "Your bank is the best place to ask"},
		{"da", "redirect", "Det er noget, banken skal tage sig af.", "banken skal tage sig af"},
	}, quiet: []missCase{
		{"da", "redirect", "Kontakt os, hvis der er mere."},
		{"da", "redirect", "Skriv til vores support, hvis koden ikke virker."},
		{"da", "redirect", "Ring til kundeservice, hvis du hellere vil tage det over telefonen."},
		{"nb", "redirect", "Kontakt oss hvis det er noe mer."},
		{"nb", "redirect", "Skriv til kundeservice hvis koden ikke virker."},
		{"sv", "redirect", "Kontakta oss om det är något mer."},
		{"sv", "redirect", "Ring vår kundtjänst om koden inte fungerar."},
		{"en", "redirect", "Please contact us if there is anything else."},
		{"en", "redirect", "Write to our support team if the code fails."},
		{"en", "redirect", "Call customer service if you would rather talk it through."},
		{"da", "redirect", "Det er butikken, der har sendt pakken."},
		{"en", "redirect", "The courier is the one who has the parcel now, and I have asked them to hurry."},
		{"da", "redirect", "Skriv til support@firma.dk, hvis du har flere spørgsmål."},
		{"da", "redirect", "Jeg har talt med GLS, og de kan hjælpe dig i morgen."},
		{"en", "redirect", "Write to help@shop.com if anything else comes up."},
	}},

	{name: "causal attribution", fire: []fireCase{
		{"da", "blame", "Pakken kom retur, da du har valgt en forkert adresse.", "du har valgt en forkert"},
		{"da", "blame", "Årsagen er, at du ikke har opdateret appen.", "Årsagen er, at du ikke har opdateret"},
		{"da", "blame", "Ansvaret for at tjekke adressen ligger hos dig.", "Ansvaret for at tjekke adressen ligger hos dig"},
		{"nb", "blame", "Pakken kom i retur fordi du valgte feil adresse.", "du valgte feil"},
		{"nb", "blame", "Årsaken er at du ikke har oppdatert appen.", "Årsaken er at du ikke har oppdatert"},
		{"nb", "blame", "Ansvaret for å sjekke adressen ligger hos deg.", "Ansvaret for å sjekke adressen ligger hos deg"},
		{"sv", "blame", "Paketet kom tillbaka eftersom du valde fel adress.", "du valde fel"},
		{"sv", "blame", "Orsaken är att du inte har uppdaterat appen.", "Orsaken är att du inte har uppdaterat"},
		{"sv", "blame", "Ansvaret för att kontrollera adressen ligger hos dig.", "Ansvaret för att kontrollera adressen ligger hos dig"},
		{"en", "blame", "That happened because you chose the wrong plan.", "you chose the wrong"},
		{"en", "blame", "The reason is that you haven't updated the app.", "The reason is that you haven't updated"},
		{"en", "blame", "The responsibility for checking the address lies with you.", "responsibility for checking the address lies with you"},
	}, quiet: []missCase{
		{"da", "blame", "Det skyldes en fejl i vores system."},
		{"da", "blame", "Adressen var ikke komplet, så jeg har rettet den."},
		{"da", "blame", "Årsagen er, at vores lager var lukket i påsken."},
		{"nb", "blame", "Det skyldes en feil i systemet vårt."},
		{"nb", "blame", "Årsaken er at lageret vårt var stengt i påsken."},
		{"sv", "blame", "Det beror på ett fel i vårt system."},
		{"sv", "blame", "Orsaken är att vårt lager var stängt i påsk."},
		{"en", "blame", "That was caused by a fault in our system."},
		{"en", "blame", "The reason is that our warehouse was closed over Easter."},
	}},

	{name: "presumed causes", fire: []fireCase{
		{"da", "assumption", "I de fleste tilfælde skyldes det en gammel version af appen.", "I de fleste tilfælde skyldes"},
		{"da", "assumption", "Oftest er forklaringen, at appen er gammel.", "Oftest er forklaringen"},
		{"nb", "assumption", "I de fleste tilfeller skyldes det en gammel versjon av appen.", "I de fleste tilfeller skyldes"},
		{"nb", "assumption", "Oftest er forklaringen at appen er gammel.", "Oftest er forklaringen"},
		{"sv", "assumption", "Det beror nästan alltid på en gammal version av appen.", "beror nästan alltid"},
		{"sv", "assumption", "Oftast är förklaringen att appen är gammal.", "Oftast är förklaringen"},
		{"en", "assumption", "As a rule this comes from an old version of the app.", "As a rule this comes from"},
		{"en", "assumption", "Most often the explanation is an old version of the app.", "Most often the explanation"},
	}, quiet: []missCase{
		{"da", "assumption", "Forbruget er højere om vinteren."},
		{"nb", "assumption", "Forbruket er høyere om vinteren."},
		{"sv", "assumption", "Förbrukningen är högre på vintern."},
		{"en", "assumption", "Consumption is higher in winter."},
	}},

	{name: "shouting versus names", fire: []fireCase{
		{"da", "escalation", "Du må ALDRIG sende kortnummeret på mail.", "ALDRIG"},
		{"da", "escalation", "Vi kan IKKE refundere en brugt vare.", "IKKE"},
		{"nb", "escalation", "Du må ALDRI sende kortnummeret på e-post.", "ALDRI"},
		{"sv", "escalation", "Du får ALDRIG skicka kortnumret via mejl.", "ALDRIG"},
		{"en", "escalation", "Please NEVER send your card number by email.", "NEVER"},
	}, quiet: []missCase{
		{"da", "escalation", "Du kan hente den i NETTO, eller hos IKEA, og IKEA bytter den også."},
		{"da", "escalation", "Vi har talt med ELGIGANTEN, og ELGIGANTEN sender en ny i dag."},
		{"nb", "escalation", "Vi har snakket med ELKJØP, og ELKJØP sender en ny i dag."},
		{"sv", "escalation", "Vi har pratat med KJELLS, och KJELLS skickar en ny i dag."},
		{"en", "escalation", "We spoke to ARGOS, and ARGOS will send a new one today."},
	}},

	{name: "other word orders and verbs", fire: []fireCase{
		{"da", "false-agreement", "Der har du fuldstændig ret.", "Der har du fuldstændig ret"},
		{"da", "false-agreement", "Jeg er enig i, at det har taget for lang tid.", "Jeg er enig"},
		{"nb", "false-agreement", "Der har du helt rett.", "Der har du helt rett"},
		{"nb", "false-agreement", "Jeg er enig i at det har tatt for lang tid.", "Jeg er enig"},
		{"sv", "false-agreement", "Där har du helt rätt.", "Där har du helt rätt"},
		{"sv", "false-agreement", "Jag håller med om att det har tagit för lång tid.", "Jag håller med"},
		{"en", "false-agreement", "I agree that it has taken far too long.", "I agree"},
		{"en", "false-agreement", "You are completely right there.", "You are completely right"},
		{"da", "escalation", "Jeg har nu skrevet det flere gange.", "Jeg har nu skrevet det flere gange"},
		{"da", "escalation", "Som nævnt i min forrige mail sender vi ikke til Grønland.", "Som nævnt"},
		{"nb", "escalation", "Jeg har nå skrevet det flere ganger.", "Jeg har nå skrevet det flere ganger"},
		{"nb", "escalation", "Som nevnt i min forrige e-post sender vi ikke til Grønland.", "Som nevnt"},
		{"sv", "escalation", "Jag har nu skrivit det flera gånger.", "Jag har nu skrivit det flera gånger"},
		{"sv", "escalation", "Som nämnts i mitt förra mejl skickar vi inte till Grönland.", "Som nämnts"},
		{"en", "escalation", "I have said this before.", "I have said this before"},
		{"da", "escalation", "Jeg har allerede forklaret, at vi ikke kan bytte brugte varer.", "Jeg har allerede forklaret, at"},
		{"nb", "escalation", "Jeg har allerede forklart at vi ikke kan bytte brukte varer.", "Jeg har allerede forklart at"},
		{"sv", "escalation", "Jag har redan förklarat att vi inte kan byta använda varor.", "Jag har redan förklarat att"},
		{"en", "escalation", "I have already explained that we cannot exchange used items.", "I have already explained that"},
		{"da", "false-agreement", "Jeg giver dig helt ret.", "Jeg giver dig helt ret"},
		{"da", "false-agreement", "Der har du en god pointe.", "Der har du en god pointe"},
		{"sv", "false-agreement", "Jag ger dig rätt i det.", "Jag ger dig rätt"},
		{"en", "escalation", "As mentioned in my last email, we do not ship to Greenland.", "As mentioned in my last"},
	}, quiet: []missCase{
		{"da", "false-agreement", "Du har ret til at returnere varen inden for 30 dage."},
		{"en", "false-agreement", "You are right to ask about the warranty."},
		{"da", "escalation", "Jeg har skrevet til lageret i dag."},
		{"da", "escalation", "Jeg har allerede skrevet til lageret, og de sender i dag."},
		{"en", "escalation", "I've already written to the warehouse and they ship today."},
		{"en", "escalation", "I have said to the warehouse that it is urgent."},
	}},

	{name: "inflections from lemmas", fire: []fireCase{
		{"da", "weak-word", "Forhåbentligt kommer pakken i morgen.", "Forhåbentligt"},
		{"da", "weak-word", "Jeg prøvede at ringe til dig i går.", "prøvede"},
		{"nb", "weak-word", "Forhåpentlig kommer pakken i morgen.", "Forhåpentlig"},
		{"sv", "weak-word", "Jag försökte ringa dig i går.", "försökte"},
		{"en", "weak-word", "We tried to call you yesterday.", "tried"},
	}, quiet: []missCase{
		{"da", "weak-word", "Det har været en prøvelse for dig, kan jeg se."},
		{"da", "weak-word", "Din prøveperiode er forlænget med en uge."},
		{"nb", "weak-word", "Prøveperioden din er forlenget med en uke."},
		{"sv", "weak-word", "Din provperiod är förlängd med en vecka."},
		{"en", "weak-word", "Your trial period has been extended by a week."},
	}},
}

func TestMechanisms(t *testing.T) {
	for _, m := range mechanisms {
		t.Run(m.name, func(t *testing.T) {
			for _, tc := range m.fire {
				checkFires(t, tc)
			}
			for _, tc := range m.quiet {
				checkQuiet(t, tc)
			}
		})
	}
}

// Acknowledgments by a noun or a frame, including what the customer did well.
func TestAcknowledgmentFrames(t *testing.T) {
	tail := map[string]string{
		"da": " Jeg har sendt dig en vejledning til næste trin, og du kan følge den i dit eget tempo hjemme, når det passer dig bedst.",
		"nb": " Jeg har sendt deg en veiledning til neste steg, og du kan følge den i ditt eget tempo hjemme når det passer deg best.",
		"sv": " Jag har skickat dig en guide till nästa steg, och du kan följa den i din egen takt hemma när det passar dig bäst.",
		"en": " I have sent you a guide to the next step, and you can follow it at your own pace at home whenever it suits you best.",
	}
	cases := []struct {
		lang, opening string
		fire          bool
	}{
		{"da", "Fint at du har kastet dig ud i opsætningen.", false},
		{"da", "Det må have været en lang ventetid.", false},
		{"da", "Sikke en ventetid du har haft.", false},
		{"da", "Hvilken ventetid du har haft.", false},
		{"sv", "Vilken väntan du har haft.", false},
		{"nb", "Flott at du har gått i gang med oppsettet.", false},
		{"nb", "Det må ha vært en lang ventetid.", false},
		{"sv", "Bra att du redan har satt igång med installationen.", false},
		{"sv", "Det måste ha varit en lång väntan.", false},
		{"en", "Great that you've already made a start on the setup.", false},
		{"en", "That must have been a long wait.", false},
		{"da", "Det er helt forståeligt, at du er træt af at vente.", false},
		{"da", "Tak for den grundige beskrivelse af fejlen.", false},
		{"nb", "Takk for den grundige beskrivelsen av feilen.", false},
		{"sv", "Tack för den tydliga beskrivningen av felet.", false},
		{"en", "Thanks for the detailed description of the fault.", false},
		{"en", "Good catch on the billing date.", false},
		{"da", "Tak for din henvendelse.", true},
		{"en", "Thanks for your email.", true},
		{"da", "Din ordre er afsendt i dag.", true},
		{"nb", "Ordren din er sendt i dag.", true},
		{"sv", "Din order skickades i dag.", true},
		{"en", "Your order was sent today.", true},
	}
	greet := map[string]string{"da": "Hej Jens,\n", "nb": "Hei Per,\n", "sv": "Hej Per,\n", "en": "Hi Pat,\n"}
	for _, tc := range cases {
		res := Default().Lint(greet[tc.lang]+tc.opening+tail[tc.lang], Options{Lang: tc.lang})
		got := false
		for _, f := range res.Findings {
			if f.Rule == RuleAcknowledge {
				got = true
			}
		}
		if got != tc.fire {
			t.Errorf("%s: %q: acknowledge fired=%v, want %v", tc.lang, tc.opening, got, tc.fire)
		}
	}
}

// Every finding says which pattern and pack entry made it fire; an inflected hit names its lemma.
func TestFindingsNameTheirMatch(t *testing.T) {
	res, _ := lintIn("da", "Jeg prøvede at ringe, men du har tastet adressen forkert, og det er IKKE muligt!!")
	want := map[string]Match{
		RuleWeakWord:   {Pattern: "prøve", Entry: "rules.weak-word.entries[0].words[0]"},
		RuleBlame:      {Pattern: "@you @perf? @adv? @entry ~4 @wrong", Entry: "rules.blame.patterns[0]"},
		RuleEscalation: {Pattern: "ikke", Entry: "rules.escalation.shout_words"},
	}
	seen := map[string]bool{}
	for _, f := range res.Findings {
		if f.Match == nil || f.Match.Pattern == "" || f.Match.Entry == "" {
			t.Errorf("%s %q: no match recorded", f.Rule, f.Text)
			continue
		}
		if w, ok := want[f.Rule]; ok && !seen[f.Rule] {
			seen[f.Rule] = true
			if *f.Match != w {
				t.Errorf("%s %q: match %+v, want %+v", f.Rule, f.Text, *f.Match, w)
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("want findings for %v, got %+v", want, res.Findings)
	}
}
