package coach

import "testing"

// TestSpecExamples runs the examples of coaching-rules.md's rule table, verbatim where the table
// gives a sentence (wrapped in a reply where the rule needs one).
func TestSpecExamples(t *testing.T) {
	fire := []struct{ lang, rule, sentence string }{
		{"da", "false-agreement", "Det kan jeg godt forstå."},
		{"da", "no-but", "Men vi kan ikke refundere."},
		{"en", "no-but", "But we can't refund it."},
		{"da", "closed-question", "Har du tjekket dit spamfilter?"},
		{"da", "weak-word", "Du kan måske prøve at genstarte."},
		{"da", "blame", "Du har tastet adressen forkert."},
		{"da", "redirect", "Du må kontakte GLS."},
		{"da", "assumption", "Det, der tit sker, er at browseren gemmer en gammel version."},
		{"da", "escalation", "Som jeg allerede har skrevet, er det ikke muligt!!"},
		{"en", "blame", "You forgot to add the house number."},
		{"en", "blame", "You failed to return the form."},
		{"en", "blame", "You didn't check the address."},
		{"en", "blame", "You misunderstood the offer."},
		{"en", "blame", "As clearly stated on the website, returns take 14 days."},
		{"en", "redirect", "You need to contact the seller."},
		{"en", "redirect", "Please contact the courier."},
		{"en", "redirect", "Please take it up with the airline."},
		{"en", "assumption", "What usually happens is that the browser keeps an old version."},
		{"en", "assumption", "Typically this is because the browser keeps an old version."},
		{"en", "escalation", "As previously stated, refunds take 14 days."},
		{"en", "escalation", "I repeat: the order has shipped."},
		{"en", "false-agreement", "I can understand that."},
		{"en", "weak-word", "Hopefully it arrives tomorrow."},
	}
	for _, tc := range fire {
		res, _ := lintIn(tc.lang, tc.sentence)
		found := false
		for _, f := range res.Findings {
			found = found || f.Rule == tc.rule
		}
		if !found {
			t.Errorf("%s %s: %q does not fire", tc.lang, tc.rule, tc.sentence)
		}
	}
	quiet := []struct{ lang, rule, sentence string }{
		{"da", "false-agreement", "Jeg forstår, at det har taget lang tid."},
		{"da", "no-but", "Du får ikke kun en ny pakke, men også et gavekort."},
		{"en", "no-but", "You get not only a new parcel but also a voucher."},
		{"da", "no-but", "Vælg menuen, hvis du mener, det er nemmere."},
		{"da", "closed-question", "Hvad har du allerede prøvet?"},
		{"da", "closed-question", "Hvornår skete det?"},
		{"da", "weak-word", "Hvad har du allerede prøvet?"},
		{"da", "blame", "Adressen på ordren var ikke komplet, så jeg har rettet den."},
		{"da", "redirect", "Jeg har kontaktet GLS, og de leverer i morgen."},
		{"da", "assumption", "Hvad skete der, da du trykkede Gem?"},
		{"da", "escalation", "Vi sender en ny pakke i dag."},
	}
	for _, tc := range quiet {
		res, _ := lintIn(tc.lang, tc.sentence)
		for _, f := range res.Findings {
			if f.Rule == tc.rule {
				t.Errorf("%s %s: %q must not fire (%q)", tc.lang, tc.rule, tc.sentence, f.Text)
			}
		}
	}
}
