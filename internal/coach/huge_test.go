package coach

import (
	"strings"
	"testing"
	"time"
)

// TestHugeInputsStayLinear lints adversarial 256 KiB texts; each must finish well under a second
// (a quadratic path would take minutes). It logs the time rather than asserting a tight bound.
func TestHugeInputsStayLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	units := []string{
		"du har glemt ", "Men. ", "ked af, men ", "AAA BBB ", ", , , , ", "\"Men\" ", "måske prøv at trykke ",
		"Har du? ", "f.eks. ", "1.299,00 kr. ", "hej@x.dk ", "www.x.dk ", "\xff\xfe", "é", "Hej Jens,\n", "!!", "(", "ikke kun men også ",
		"som jeg har skrevet ", "Det skyldes som regel ",
	}
	for _, u := range units {
		text := strings.Repeat(u, (256<<10)/len(u))
		t0 := time.Now()
		for _, lang := range []string{"auto", "da", "en"} {
			Default().Lint(text, Options{Lang: lang})
		}
		el := time.Since(t0)
		t.Logf("%-24q 3×256 KiB: %v", u, el)
		if el > 10*time.Second {
			t.Errorf("%q: %v — not linear", u, el)
		}
	}
}
