package coach

import (
	"regexp"
	"strings"
	"testing"
)

// A hand-configured prose linter (Vale-style existence rules: one case-insensitive regular
// expression per rule, built from the literal word lists of coaching-rules.md) as the baseline
// the coach must beat. It has no sentence model, no question shape, no exceptions.
var baseline = map[string]*regexp.Regexp{
	RuleFalseAgreement: regexp.MustCompile(`(?i)\b(det kan jeg godt forstå|jeg forstår godt|du har (fuldstændig |helt )?ret|du har (helt )?rett|du har (helt )?rätt|you're (absolutely )?right|you are (absolutely )?right|i can understand that)\b`),
	RuleNoBut:          regexp.MustCompile(`(?im)(^|[.!?]\s+)(men|but|however)\b|(ærgerligt|ked af|beklager|sorry|leit|tråkigt|jobbigt|træls),\s+(men|but)\b`),
	RuleClosedQuestion: regexp.MustCompile(`(?im)(^|[.!?]\s+)(har|er|kan|vil|skal|må|gør|får|kunne|ville|skulle|burde|havde|var|do|does|did|is|are|was|were|have|has|had|can|could|will|would|should)\b[^.!?]*\?`),
	RuleWeakWord:       regexp.MustCompile(`(?i)\b(prøve|prøv|prøver|prøvede|prøvet|tror|troede|måske|hvis nu|muligvis|forhåbentlig|kanskje|hvis nå|muligens|forhåpentligvis|prova|försök|försöka|kanske|om nu|möjligen|förhoppningsvis|try|tries|tried|trying|i think|i believe|maybe|perhaps|possibly|hopefully|might)\b`),
	RuleBlame:          regexp.MustCompile(`(?i)\b(du har (skrevet|tastet|indtastet|udfyldt) [^.]*forkert|din (egen )?(fejl|skyld)|du burde|du skulle (bare )?have|du har glemt|du har ikke (læst|fulgt|husket)|du har misforstået|hvis du havde læst|det står tydeligt|du var ikke hjemme|you should have|your (own )?fault|you forgot|you failed to|you didn't (read|follow|check)|you entered [^.]* wrong|you misunderstood|if you had read|as clearly stated)\b`),
	RuleRedirect:       regexp.MustCompile(`(?i)\b((du|i) (må|skal|bedes) (selv )?kontakte|kontakt (fragtfirmaet|gls|postnord|dao|bring|producenten|banken)|det er ikke vores (ansvar|problem)|det må du tage op med|you need to contact|please contact the (carrier|courier|manufacturer)|please contact your bank|not our (responsibility|problem)|take it up with)\b`),
	RuleAssumption:     regexp.MustCompile(`(?i)(det, der tit sker, er|det sker (tit|ofte), at|det plejer at være fordi|typisk er det fordi|what usually happens is|this usually happens because|typically this is because)`),
	RuleEscalation:     regexp.MustCompile(`(?i)(!!|\bsom (jeg )?(allerede |tidligere )?har skrevet\b|\bsom sagt\b|\bfor (anden|tredje) gang\b|\bjeg gentager\b|\bas i (already )?(said|wrote)\b|\bas previously stated\b|\bfor the (second|third) time\b|\bi repeat\b)`),
	RuleAcknowledge:    regexp.MustCompile(`(?i)(hvor frustrerende|virkelig ærgerligt|jeg kan se, at|jeg er ked af|beklager|how frustrating|i'm sorry to hear|i can see that)`),
}

var capsWord = regexp.MustCompile(`\b[A-ZÆØÅÄÖ]{3,}\b`)
var acronymsBaseline = map[string]bool{"GLS": true, "DAO": true, "PDF": true, "SMS": true, "NPS": true, "CVR": true, "API": true, "URL": true, "EAN": true}

func baselineRules(text string) map[string]bool {
	out := map[string]bool{}
	for id, re := range baseline {
		if id == RuleAcknowledge {
			out[id] = !re.MatchString(text) // fires when no listed acknowledgment phrase appears
			continue
		}
		out[id] = re.MatchString(text)
	}
	caps := 0
	for _, w := range capsWord.FindAllString(text, -1) {
		if !acronymsBaseline[w] {
			caps++
		}
	}
	out[RuleEscalation] = out[RuleEscalation] || caps >= 2
	out[RuleShortReply] = len(strings.Fields(text)) < 25
	return out
}

// TestBeatsWordListBaseline compares micro-F1 of the coach and of the baseline on both corpora.
func TestBeatsWordListBaseline(t *testing.T) {
	items := append(loadCorpus(t), loadJSONL(t, "testdata/extra-replies.jsonl")...)
	var coach, base prf
	for _, it := range items {
		want := map[string]bool{}
		for _, l := range it.Labels {
			want[l] = true
		}
		got := firedRules(Default().Lint(it.Text, Options{}))
		b := baselineRules(it.Text)
		for _, id := range ruleIDs {
			if id == RuleGreeting {
				continue
			}
			count(&coach, got[id], want[id])
			count(&base, b[id], want[id])
		}
	}
	_, _, fc := coach.scores()
	bp, br, fb := base.scores()
	t.Logf("coach micro-F1 %.3f; word-list baseline precision %.3f recall %.3f micro-F1 %.3f (%d replies)", fc, bp, br, fb, len(items))
	if fc <= fb {
		t.Errorf("coach (%.3f) does not beat the word-list baseline (%.3f)", fc, fb)
	}
}

func count(p *prf, got, want bool) {
	switch {
	case got && want:
		p.tp++
	case got:
		p.fp++
	case want:
		p.fn++
	}
}
