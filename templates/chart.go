package templates

import (
	"math"
	"strconv"
	"strings"
)

// Chart is a weekly line chart drawn on the server as SVG, with the same numbers as a table beside it.
type Chart struct {
	ID     string
	Title  string
	Unit   string // shown after each value ("", " %")
	Points []ChartPoint
	Better string // "up" or "down": which way is an improvement, so the summary can say so
}

type ChartPoint struct {
	Label string
	Value float64
}

// The drawing area inside the SVG's 0 0 360 160 view box.
const (
	chartW, chartH             = 360.0, 160.0
	plotL, plotR, plotT, plotB = 44.0, 350.0, 12.0, 128.0
)

// top is a round upper bound for the y axis.
func (c Chart) top() float64 {
	m := 0.0
	for _, p := range c.Points {
		m = math.Max(m, p.Value)
	}
	if m <= 0 {
		return 1
	}
	step := math.Pow(10, math.Floor(math.Log10(m)))
	for _, k := range []float64{1, 2, 2.5, 5, 10} {
		if m <= k*step {
			return k * step
		}
	}
	return 10 * step
}

func (c Chart) x(i int) float64 {
	if len(c.Points) <= 1 {
		return (plotL + plotR) / 2
	}
	return plotL + float64(i)*(plotR-plotL)/float64(len(c.Points)-1)
}

func (c Chart) y(v float64) float64 { return plotB - v/c.top()*(plotB-plotT) }

// Polyline is the line's points attribute.
func (c Chart) Polyline() string {
	var b strings.Builder
	for i, p := range c.Points {
		b.WriteString(num(c.x(i)) + "," + num(c.y(p.Value)) + " ")
	}
	return strings.TrimSpace(b.String())
}

// Tick is a labelled mark on an axis.
type Tick struct {
	X, Y  string
	Label string
}

// YTicks are 0, half and the top of the axis.
func (c Chart) YTicks() []Tick {
	var out []Tick
	for _, f := range []float64{0, 0.5, 1} {
		v := c.top() * f
		out = append(out, Tick{X: num(plotL - 6), Y: num(c.y(v)), Label: short(v)})
	}
	return out
}

// XTicks label the first, middle and last week, so labels never collide.
func (c Chart) XTicks() []Tick {
	n := len(c.Points)
	var out []Tick
	for _, i := range []int{0, n / 2, n - 1} {
		if i < 0 || i >= n || (len(out) > 0 && out[len(out)-1].Label == c.Points[i].Label) {
			continue
		}
		out = append(out, Tick{X: num(c.x(i)), Y: num(plotB + 18), Label: c.Points[i].Label})
	}
	return out
}

// Dots mark each week's value.
func (c Chart) Dots() []Tick {
	out := make([]Tick, len(c.Points))
	for i, p := range c.Points {
		out[i] = Tick{X: num(c.x(i)), Y: num(c.y(p.Value)), Label: p.Label + ": " + short(p.Value) + c.Unit}
	}
	return out
}

// Trend compares the last week with the first: "better", "worse" or "same".
func (c Chart) Trend() string {
	if len(c.Points) < 2 {
		return "same"
	}
	first, last := c.Points[0].Value, c.Points[len(c.Points)-1].Value
	switch {
	case math.Abs(last-first) < 0.05*math.Max(math.Abs(first), 1):
		return "same"
	case (last > first) == (c.Better == "up"):
		return "better"
	}
	return "worse"
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// short is a value as a chart shows it: whole numbers, one decimal under ten.
func short(v float64) string {
	if math.Abs(v) < 10 && v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func chartBox() string { return "0 0 " + num(chartW) + " " + num(chartH) }

func axisLeft() string   { return num(plotL) }
func axisRight() string  { return num(plotR) }
func axisTop() string    { return num(plotT) }
func axisBottom() string { return num(plotB) }
