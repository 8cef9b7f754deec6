// Package i18n holds the interface's message catalogues (Danish first, English) and puts
// the reader's localizer on the request context so templates can translate by message id.
package i18n

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

// Each locale is locales/<l>.yaml plus locales/<area>/<l>.yaml for areas that keep their own catalogue.
//
//go:embed locales
var catalogues embed.FS

// Locales are the interface languages, default first.
var Locales = []string{"da", "en"}

// Bundle is the loaded catalogues; load it once with Load.
type Bundle struct {
	b    *i18n.Bundle
	locs map[string]*Localizer // one per interface language, shared by every request
}

func Load() (*Bundle, error) {
	b := i18n.NewBundle(language.Danish)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	for _, l := range Locales {
		areas, err := fs.Glob(catalogues, "locales/*/"+l+".yaml")
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		for _, path := range append([]string{"locales/" + l + ".yaml"}, areas...) {
			if _, err := b.LoadMessageFileFS(catalogues, path); err != nil {
				return nil, fmt.Errorf("i18n: %w", err)
			}
		}
	}
	bundle := &Bundle{b: b, locs: map[string]*Localizer{}}
	for _, l := range Locales {
		bundle.locs[l] = &Localizer{Locale: l, l: i18n.NewLocalizer(b, l, "da")}
	}
	return bundle, nil
}

// Valid reports whether locale is an interface language.
func Valid(locale string) bool { return locale == "da" || locale == "en" }

// Localizer translates into one locale, falling back to Danish. It is safe for concurrent use.
type Localizer struct {
	Locale string
	l      *i18n.Localizer
	plain  sync.Map // id → translation, for the messages asked for without data
	memo   sync.Map // key → text made from the catalogue alone (Memo)
}

// Memo returns the text make builds for key in this language, built once. make must depend on
// nothing but key and the catalogue (which does not change while the process runs), and the keys
// must come from a bounded set, never from a request.
func (l *Localizer) Memo(key string, make func() string) string {
	if s, ok := l.memo.Load(key); ok {
		return s.(string)
	}
	s := make()
	l.memo.Store(key, s)
	return s
}

// For returns the locale's localizer (Danish for an unknown one); the same one every time.
func (b *Bundle) For(locale string) *Localizer {
	if !Valid(locale) {
		locale = "da"
	}
	return b.locs[locale]
}

// T translates id; data fills {{.Name}}-style placeholders. A missing id shows itself, never an empty string.
// A message without data is translated once per localizer and then read from memory: the catalogues
// do not change while the process runs, and a page asks for a hundred of them.
func (l *Localizer) T(id string, data ...map[string]any) string {
	if len(data) == 0 {
		if s, ok := l.plain.Load(id); ok {
			return s.(string)
		}
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := l.l.Localize(cfg)
	if err != nil {
		return id // not kept: only the catalogue's ids are, so the map cannot grow without bound
	}
	if len(data) == 0 {
		l.plain.Store(id, s)
	}
	return s
}

// TN translates id in the plural form n takes in the locale; {{.Count}} shows n, data fills the rest.
func (l *Localizer) TN(id string, n int, data ...map[string]any) string {
	td := map[string]any{}
	if len(data) > 0 {
		maps.Copy(td, data[0])
	}
	td["Count"] = n
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: td})
	if err != nil {
		return id
	}
	return s
}

type ctxKey struct{}

func WithLocalizer(ctx context.Context, l *Localizer) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the request's localizer, if one was set.
func From(ctx context.Context) (*Localizer, bool) {
	l, ok := ctx.Value(ctxKey{}).(*Localizer)
	return l, ok
}

// T is the templates' shorthand: T(ctx, "inbox.title"). Without a localizer it shows the id.
func T(ctx context.Context, id string, data ...map[string]any) string {
	if l, ok := From(ctx); ok {
		return l.T(id, data...)
	}
	return id
}

// Memo is Localizer.Memo on the request's localizer; without one it just builds the text.
func Memo(ctx context.Context, key string, make func() string) string {
	if l, ok := From(ctx); ok {
		return l.Memo(key, make)
	}
	return make()
}

// TN is T with a count: TN(ctx, "coaching.warnings", 2) is "2 advarsler", with 1 "1 advarsel".
func TN(ctx context.Context, id string, n int, data ...map[string]any) string {
	if l, ok := From(ctx); ok {
		return l.TN(id, n, data...)
	}
	return id
}

// Locale is the request's interface language.
func Locale(ctx context.Context) string {
	if l, ok := From(ctx); ok {
		return l.Locale
	}
	return "da"
}
