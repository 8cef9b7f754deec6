package coach

// Severity is how a rule reports in lang ("" when the language has no pack or the rule is off):
// the review's send gate needs to know which rules are error-level.
func (c *Coach) Severity(lang, rule string) Severity {
	p, ok := c.packs[lang]
	if !ok {
		return ""
	}
	r, ok := p.rules[rule]
	if !ok || !r.enabled() {
		return ""
	}
	return r.Severity
}
