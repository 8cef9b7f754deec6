package coach

// Score is the coaching score, 0–100 (100 = nothing to coach). The formula is a contract:
// team-lead trends are computed from stored scores, so change it only with a new pack version.
//
//	penalty = Σ over rules of min(findings of the rule, 2) × weight(severity)
//	          weight: error 15, warning 8, suggestion 2
//	bonus   = 3 × number of distinct positive signal kinds (acknowledgment, open-question,
//	          strong-word, summary), at most 12
//	score   = clamp(100 − penalty + min(bonus, penalty/2), 0, 100)
//
// A rule counts at most twice so one habit cannot zero the score; the bonus wins back at most
// half of the points lost, so a reply with nothing to coach scores exactly 100 and good habits
// soften, but never hide, a finding.
func Score(findings []Finding, positives []Signal) int {
	per := map[string]int{}
	penalty := 0
	for _, f := range findings {
		key := f.Rule + "/" + string(f.Severity)
		if per[key] >= 2 {
			continue
		}
		per[key]++
		switch f.Severity {
		case SevError:
			penalty += 15
		case SevWarning:
			penalty += 8
		default:
			penalty += 2
		}
	}
	kinds := map[string]bool{}
	for _, s := range positives {
		kinds[s.Kind] = true
	}
	bonus := min(3*len(kinds), 12)
	score := 100 - penalty + min(bonus, penalty/2)
	return max(0, min(100, score))
}
