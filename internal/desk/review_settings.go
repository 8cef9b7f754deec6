package desk

import (
	"math"
	"time"
)

// The review's thresholds an admin edits, and the ranges they may take.
const (
	MinLowerFrom, MinLowerTo       = 0.5, 0.99
	MinVerdictsFrom, MinVerdictsTo = 10, 1000
	SampleShareFrom, SampleShareTo = 0, 50
	DisputeDaysFrom, DisputeDaysTo = 1, 20
)

// SampleConfigured asks the queue for the share of replies without findings the settings name.
const SampleConfigured = -1

// ReviewSettings are the coaching review's thresholds: when an error-level rule may block sending,
// the queue's default random share and how long an agent has to dispute a confirmed finding.
type ReviewSettings struct {
	MinLower    float64   `json:"min_lower"`    // the Wilson lower bound an error-level rule must keep to block
	MinVerdicts int       `json:"min_verdicts"` // the verdicts before the lower bound is judged
	SampleShare int       `json:"sample_share"` // per cent of replies without findings in the queue by default
	DisputeDays int       `json:"dispute_days"` // working days to dispute a confirmed finding
	UpdatedBy   string    `json:"updated_by,omitempty"`
	UpdatedAt   time.Time `json:"updated_at,omitzero"`
}

// DefaultReviewSettings are the defaults: 0.90 over 50 verdicts, 10 %, 2 working days.
func DefaultReviewSettings() ReviewSettings {
	return ReviewSettings{MinLower: DefaultGate.MinLower, MinVerdicts: DefaultGate.MinVerdicts,
		SampleShare: DefaultSampleRate, DisputeDays: DisputeWorkingDays}
}

// Gate is the send gate's share of the settings.
func (r ReviewSettings) Gate() GateSettings {
	return GateSettings{MinLower: r.MinLower, MinVerdicts: r.MinVerdicts}
}

// Review settings' fields, as forms and errors name them.
const (
	FieldMinLower    = "min_lower"
	FieldMinVerdicts = "min_verdicts"
	FieldSampleShare = "sample_share"
	FieldDisputeDays = "dispute_days"
)

// RangeError is the problem of a review setting outside its range (or not a number at all).
func RangeError(field string) *Error {
	switch field {
	case FieldMinLower:
		return Errorf(EINVALID, field, "The lower bound must be a number from %.2f to %.2f.", MinLowerFrom, MinLowerTo)
	case FieldMinVerdicts:
		return Errorf(EINVALID, field, "The verdicts must be a whole number from %d to %d.", MinVerdictsFrom, MinVerdictsTo)
	case FieldSampleShare:
		return Errorf(EINVALID, field, "The random share must be a whole number from %d to %d %%.", SampleShareFrom, SampleShareTo)
	}
	return Errorf(EINVALID, FieldDisputeDays, "The working days to dispute must be a whole number from %d to %d.", DisputeDaysFrom, DisputeDaysTo)
}

// Validate reports every setting out of its range at once (desk.Problems).
func (r ReviewSettings) Validate() error {
	var p Problems
	if math.IsNaN(r.MinLower) || r.MinLower < MinLowerFrom || r.MinLower > MinLowerTo {
		p.Add(RangeError(FieldMinLower))
	}
	if r.MinVerdicts < MinVerdictsFrom || r.MinVerdicts > MinVerdictsTo {
		p.Add(RangeError(FieldMinVerdicts))
	}
	if r.SampleShare < SampleShareFrom || r.SampleShare > SampleShareTo {
		p.Add(RangeError(FieldSampleShare))
	}
	if r.DisputeDays < DisputeDaysFrom || r.DisputeDays > DisputeDaysTo {
		p.Add(RangeError(FieldDisputeDays))
	}
	return p.Err()
}
