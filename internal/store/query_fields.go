package store

import (
	"gorm.io/gorm"

	"coachdesk/internal/desk"
	"coachdesk/internal/search"
)

// fieldFilters turns the field filters typed into a search (from:, tag:, #1042) into plain filters
// on tickets, which the views' indexes serve like the inbox's own. none reports a filter that no
// ticket can pass (an e-mail no customer has), so the page is empty without asking.
func fieldFilters(db *gorm.DB, f desk.Filter, q search.Query) (vf viewFilter, none bool, err error) {
	vf = viewFilter{Filter: f, numbers: q.Numbers}
	for _, tag := range q.Tags {
		if vf.Tag == "" {
			vf.Tag = tag
		} else if tag != vf.Tag {
			vf.moreTags = append(vf.moreTags, tag)
		}
	}
	var emails []string
	for _, from := range q.From {
		if containsAt(from) {
			emails = append(emails, from)
		}
	}
	if len(emails) > 0 {
		if err = db.Table("customers").Where("email IN ?", emails).Pluck("id", &vf.customers).Error; err != nil {
			return vf, false, err
		}
		if len(vf.customers) == 0 {
			return vf, true, nil
		}
	}
	return vf, false, nil
}

func containsAt(s string) bool {
	for _, r := range s {
		if r == '@' {
			return true
		}
	}
	return false
}

// whereFields adds what fieldFilters found to a view's query.
func whereFields(q *gorm.DB, f viewFilter) *gorm.DB {
	if len(f.numbers) > 0 {
		q = q.Where("t.number IN ?", f.numbers)
	}
	if len(f.customers) > 0 {
		q = q.Where("t.customer_id IN ?", f.customers)
	}
	for _, tag := range f.moreTags {
		q = q.Where("EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.tag_id = (SELECT g.id FROM tags g WHERE g.name = ?) AND tt.ticket_id = t.id)", tag)
	}
	if f.excludes != "" {
		q = q.Where(f.excludes, f.excludeArgs...)
	}
	return q
}
