package coach

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"
)

// Benchmarks (figures and commands in BENCH.md):
//   go test ./internal/coach -run '^$' -bench . -benchmem

// typicalReplies builds ~100–150-word replies by joining the bodies of two corpus replies of one
// language under one greeting and sign-off, the length of an ordinary thorough answer.
func typicalReplies(tb testing.TB, lang string) []string {
	items := loadCorpus(tb)
	var bodies []string
	for _, it := range items {
		if it.Lang != lang {
			continue
		}
		lines := strings.Split(it.Text, "\n")
		if len(lines) < 4 {
			continue
		}
		bodies = append(bodies, strings.Join(lines[1:len(lines)-2], "\n"))
	}
	var out []string
	for i := range bodies {
		j := (i + 7) % len(bodies)
		text := "Hej Anna,\n" + bodies[i] + "\n" + bodies[j] + "\nVenlig hilsen\nSofie"
		if w := len(strings.Fields(text)); w >= 90 && w <= 170 {
			out = append(out, text)
		}
	}
	if len(out) == 0 {
		tb.Fatal("no typical replies")
	}
	return out
}

func BenchmarkLintTypicalReplyDa(b *testing.B) {
	c := Default()
	replies := typicalReplies(b, "da")
	total := 0
	for _, r := range replies {
		total += len(r)
	}
	b.SetBytes(int64(total / len(replies)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.Lint(replies[i%len(replies)], Options{Lang: "da"})
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/reply")
}

func BenchmarkLintTypicalReplyAuto(b *testing.B) {
	c := Default()
	var replies []string
	for _, lang := range builtinLangs {
		replies = append(replies, typicalReplies(b, lang)...)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.Lint(replies[i%len(replies)], Options{Lang: "auto"})
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/reply")
}

// BenchmarkLatencyPercentiles reports p50/p99 per-reply latency over the typical Danish replies.
func BenchmarkLatencyPercentiles(b *testing.B) {
	c := Default()
	replies := typicalReplies(b, "da")
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		c.Lint(replies[i%len(replies)], Options{Lang: "da"})
		durs = append(durs, time.Since(t0))
	}
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(durs[len(durs)*99/100].Nanoseconds())/1e3, "p99-µs")
}

// bigCorpus repeats and varies the dev corpus (names, numbers, sentence order, added filler)
// until it holds at least size bytes; nothing is written to disk.
func bigCorpus(tb testing.TB, size int, lang string) ([]string, int) {
	items := loadCorpus(tb)
	rng := rand.New(rand.NewSource(1))
	names := []string{"Anna", "Jens", "Mette", "Lars", "Kari", "Per", "Maja", "Tom", "Sofie", "Ole", "Ingrid", "Elin"}
	var out []string
	total := 0
	for total < size {
		it := items[rng.Intn(len(items))]
		if lang != "" && it.Lang != lang {
			continue
		}
		lines := strings.Split(it.Text, "\n")
		if len(lines) > 3 {
			lines[0] = strings.Fields(lines[0])[0] + " " + names[rng.Intn(len(names))] + ","
			body := lines[1 : len(lines)-2]
			rng.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
			lines[len(lines)-1] = names[rng.Intn(len(names))]
		}
		text := strings.Join(lines, "\n") + fmt.Sprintf("\nSag nr. %d, ordre %d-%04d.", rng.Intn(90000)+10000, 2026, rng.Intn(10000))
		out = append(out, text)
		total += len(text)
	}
	return out, total
}

func BenchmarkThroughputDa50MB(b *testing.B) {
	c := Default()
	replies, total := bigCorpus(b, 50<<20, "da")
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, r := range replies {
			c.Lint(r, Options{Lang: "da"})
		}
	}
}

func BenchmarkThroughputAll50MB(b *testing.B) {
	c := Default()
	replies, total := bigCorpus(b, 50<<20, "")
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, r := range replies {
			c.Lint(r, Options{Lang: "auto"})
		}
	}
}

// BenchmarkLintParallel shows the engine scales across cores (one shared *Coach).
func BenchmarkLintParallel(b *testing.B) {
	c := Default()
	replies := typicalReplies(b, "da")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			c.Lint(replies[i%len(replies)], Options{Lang: "da"})
			i++
		}
	})
}

func BenchmarkCompileDefaultPacks(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		packs, err := DefaultPacks()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := New(packs...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOneMegabyteReply lints one 1 MB reply (the Danish corpus bodies joined into one
// text): the cost of a lint is linear in the text's length.
func BenchmarkOneMegabyteReply(b *testing.B) {
	c := Default()
	replies, _ := bigCorpus(b, 1<<20, "da")
	text := strings.Join(replies, "\n\n")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.Lint(text, Options{Lang: "da"})
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/reply")
}
