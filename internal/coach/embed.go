package coach

import (
	"embed"
	"fmt"
)

//go:embed packs/*.yaml
var packFS embed.FS

// DefaultPacks parses the embedded packs (da, nb, sv, en); each call returns fresh copies
// that a caller may change before passing them to New.
func DefaultPacks() ([]*Pack, error) {
	var out []*Pack
	for _, lang := range builtinLangs {
		name := "packs/" + lang + ".yaml"
		data, err := packFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("coach: %w", err)
		}
		p, err := ParsePack(name, data)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// DefaultPackBytes returns the embedded YAML of one language, e.g. as a template for admins.
func DefaultPackBytes(lang string) ([]byte, error) {
	return packFS.ReadFile("packs/" + lang + ".yaml")
}
