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
	var per [16][3]uint8 // findings counted per rule and severity (no map: this runs per keystroke)
	penalty := 0
	for _, f := range findings {
		r, s := ruleOrder(f.Rule), sevIndex(f.Severity)
		if r < len(per) {
			if per[r][s] >= 2 {
				continue
			}
			per[r][s]++
		}
		switch f.Severity {
		case SevError:
			penalty += 15
		case SevWarning:
			penalty += 8
		default:
			penalty += 2
		}
	}
	kinds := 0
	for i, s := range positives {
		seen := false
		for _, p := range positives[:i] {
			seen = seen || p.Kind == s.Kind
		}
		if !seen {
			kinds++
		}
	}
	bonus := min(3*kinds, 12)
	score := 100 - penalty + min(bonus, penalty/2)
	return max(0, min(100, score))
}

func sevIndex(s Severity) int {
	switch s {
	case SevError:
		return 0
	case SevWarning:
		return 1
	}
	return 2
}
