package coach

import (
	"reflect"
	"testing"
)

func docFor(t *testing.T, text, lang string) *doc {
	t.Helper()
	c := Default()
	d := &doc{}
	d.reset(text)
	d.toks = tokenize(text, &c.abbr, d.toks)
	d.foldAll()
	cp := c.packs[lang]
	cp.m.annotate(d)
	cp.layout(d)
	return d
}

func sentenceTexts(d *doc) []string {
	var out []string
	for _, s := range d.sents {
		out = append(out, d.text[s.start:s.end])
	}
	return out
}

func TestSentenceSplitting(t *testing.T) {
	cases := []struct {
		lang, text string
		want       []string
	}{
		{"da", "Hej Jens,\nVersion 3.2.1 er ude. Se https://shop.dk/a?b=1. Skriv til kundeservice@shop.dk, hvis noget driller.\nMvh\nAnna",
			[]string{"Hej Jens,", "Version 3.2.1 er ude.", "Se https://shop.dk/a?b=1.", "Skriv til kundeservice@shop.dk, hvis noget driller.", "Mvh", "Anna"}},
		{"da", "Prisen er 1.299,00 kr. Vi sender f.eks. i morgen kl. 14.30, dvs. før kl. 16. Ordre nr. 4821 er bl.a. betalt ca. 12.03.2026.",
			[]string{"Prisen er 1.299,00 kr.", "Vi sender f.eks. i morgen kl. 14.30, dvs. før kl. 16.", "Ordre nr. 4821 er bl.a. betalt ca. 12.03.2026."}},
		{"da", "Måleren viste 2 140 kWh. IP-adressen 192.168.0.1 svarer ikke. Det er den 15. september.",
			[]string{"Måleren viste 2 140 kWh.", "IP-adressen 192.168.0.1 svarer ikke.", "Det er den 15. september."}},
		{"sv", "Gör så här:\n1. Logga ut.\n2. Logga in igen.\nMen vänta t.ex. en minut först.",
			[]string{"Gör så här:", "1. Logga ut.", "2. Logga in igen.", "Men vänta t.ex. en minut först."}},
		{"en", "You wrote: \"Nobody told us why.\" But the kitchen was short. See no. 5, e.g. the approx. 3 items, i.e. all of them.",
			[]string{"You wrote: \"Nobody told us why.\"", "But the kitchen was short.", "See no. 5, e.g. the approx. 3 items, i.e. all of them."}},
		{"en", "Is it working now?! Great!! Thanks",
			[]string{"Is it working now?!", "Great!!", "Thanks"}},
	}
	for _, tc := range cases {
		d := docFor(t, tc.text, tc.lang)
		if got := sentenceTexts(d); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.text, got, tc.want)
		}
	}
}

func TestTokenKinds(t *testing.T) {
	d := docFor(t, "Se www.gls.dk eller skriv til jens.hansen@firma.dk om ordre ORD-2024-17, v2.3.1 og 4G/5G.", "da")
	kinds := map[string]tokKind{}
	for _, tk := range d.toks {
		kinds[d.text[tk.start:tk.end]] = tk.kind
	}
	want := map[string]tokKind{"www.gls.dk": tkURL, "jens.hansen@firma.dk": tkEmail, "ORD-2024-17": tkWord, "v2.3.1": tkWord, "4G": tkNumber}
	for s, k := range want {
		if got, ok := kinds[s]; !ok || got != k {
			t.Errorf("%q: kind %v (present %v), want %v; tokens %v", s, got, ok, k, kinds)
		}
	}
}

func TestGreetingAndSignOff(t *testing.T) {
	cases := []struct {
		lang, text, body string
	}{
		{"da", "Hej Jens.\nDin ordre er sendt.\nMed venlig hilsen\nAnna Jensen\nKundeservice", "Din ordre er sendt."},
		{"da", "Hej Jens, tak for din mail. Den er sendt. Mvh Anna", "tak for din mail. Den er sendt."},
		{"nb", "Hei Kari,\nPakken er sendt.\nVennlig hilsen\nOla", "Pakken er sendt."},
		{"da", "Hej Kim\n\nPakken er sendt.\n\nMvh.\nAnders Holm\nKundeservice | Firma A/S\nTlf. 70 20 30 40\nwww.firma.dk", "Pakken er sendt."},
		{"sv", "Hej Elin!\nVi har återställt lösenordet.\nVänliga hälsningar\nJohan", "Vi har återställt lösenordet."},
		{"en", "Dear Mr Patel,\nYour refund is on its way.\nKind regards,\nOliver", "Your refund is on its way."},
		{"en", "Your refund is on its way.", "Your refund is on its way."},
		{"da", "Hej Jens,\nPakken er sendt.\nVenlig hilsen\nAnna\n\n> Den 12. marts skrev Jens:\n> Men hvor er min pakke?!! Har I GLEMT DEN?", "Pakken er sendt."},
	}
	for _, tc := range cases {
		d := docFor(t, tc.text, tc.lang)
		if d.bodySent >= d.endSent {
			t.Errorf("%q: empty body", tc.text)
			continue
		}
		got := d.text[d.sents[d.bodySent].start:d.sents[d.endSent-1].end]
		if got != tc.body {
			t.Errorf("%q: body %q, want %q", tc.text, got, tc.body)
		}
	}
}
