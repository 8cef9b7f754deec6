package search

import (
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/danish"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/norwegian"
	"github.com/blevesearch/snowballstem/swedish"
)

// Languages are the ones the stemmer knows; a ticket in any other language is indexed unstemmed.
var Languages = []string{"da", "nb", "sv", "en"}

var stemmers = map[string]func(*snowballstem.Env) bool{
	"da": danish.Stem,
	"nb": norwegian.Stem,
	"no": norwegian.Stem,
	"sv": swedish.Stem,
	"en": english.Stem,
}

// Stem reduces a lower-case word to its Snowball stem in lang ("leveringen" and "levering" both
// become "lever" in Danish). Numbers and words in an unknown language come back as they are.
func Stem(word, lang string) string {
	stem, ok := stemmers[lang]
	if !ok || !hasLetter(word) {
		return word
	}
	env := snowballstem.NewEnv(word)
	stem(env)
	if s := env.Current(); s != "" {
		return s
	}
	return word
}

// Stems is the word's stem in every language in langs, each once, the word's own form first when
// it is one of them.
func Stems(word string, langs []string) []string {
	out := []string{}
	for _, l := range langs {
		s := Stem(word, l)
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func hasLetter(w string) bool {
	for _, r := range w {
		if !(r >= '0' && r <= '9') {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
