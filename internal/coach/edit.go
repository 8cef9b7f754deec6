package coach

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Example is one test of a rule in one language: a text on which the rule must fire (over Span, when
// given) or must stay quiet.
type Example struct {
	Text string `yaml:"text"`
	Fire bool   `yaml:"fire,omitempty"`
	Span string `yaml:"span,omitempty"`
	Note string `yaml:"note,omitempty"`
}

// MarshalYAML writes a plain pattern as a string, as the embedded packs do.
func (p Pattern) MarshalYAML() (any, error) {
	if p.Message == "" && p.Label == "" && !p.NotQuestion && !p.NotInitial && !p.Initial {
		return p.Text, nil
	}
	type plain Pattern
	return plain(p), nil
}

// MarshalPack writes p in the format of the embedded packs; ParsePack reads it back to the same pack.
func MarshalPack(p *Pack) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("pack %s: %w", p.Lang, err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ClonePack is a deep copy of p (through its YAML), safe to change.
func ClonePack(p *Pack) (*Pack, error) {
	b, err := MarshalPack(p)
	if err != nil {
		return nil, err
	}
	return ParsePack(p.source, b)
}

// SamePack reports whether a and b hold the same rules, words and texts (not only the same bytes).
func SamePack(a, b *Pack) bool {
	x, err1 := MarshalPack(a)
	y, err2 := MarshalPack(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

var customID = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)

func validCustomID(id string) bool { return customID.MatchString(id) && !strings.HasSuffix(id, "-") }

// IsBuiltin reports whether id is one of the built-in rules.
func IsBuiltin(id string) bool { return slices.Contains(ruleIDs, id) }

// customIDs are the pack's own rules, sorted.
func customIDs(p *Pack) []string {
	var ids []string
	for id, r := range p.Rules {
		if r.custom() {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// RuleIDs lists the pack's rules in report order: the built-in ones, then its custom rules.
func (p *Pack) RuleIDs() []string { return append(Rules(), customIDs(p)...) }

// ourNameWords are the words of our own names: a brand in capitals is not shouting.
func ourNameWords(names []string) []string {
	var out []string
	for _, n := range names {
		out = append(out, strings.Fields(n)...)
	}
	return out
}

// addOurNames makes each of our own names a redirect exception: "kontakt vores support" takes the task.
func addOurNames(p *Pack, m *matcher) error {
	for i, n := range p.OurNames {
		if err := checkName(n); err != nil {
			return p.errf(fmt.Sprintf("our_names[%d]", i), "%v", err)
		}
		if err := m.add(strings.ToLower(n), patInfo{rule: RuleRedirect, exception: true}); err != nil {
			return p.errf(fmt.Sprintf("our_names[%d]", i), "%v", err)
		}
	}
	return nil
}

// checkName refuses the characters that mean something in a pattern.
func checkName(n string) error {
	if strings.TrimSpace(n) == "" {
		return fmt.Errorf("empty name")
	}
	if strings.ContainsAny(n, "|*?@_~^") {
		return fmt.Errorf("a name may not contain | * ? @ _ ~ ^")
	}
	return nil
}
