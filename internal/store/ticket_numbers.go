package store

import "gorm.io/gorm"

// nextTicketNumber takes the next ticket number from the counter row, inside the transaction that
// creates the ticket: the row stays locked until that commits, so two writers (two instances on one
// PostgreSQL) can never hand out the same number, and a rolled-back ticket gives its number back.
// A number above the counter (a bulk load, a copy) is stepped over, never handed out again.
func nextTicketNumber(tx *gorm.DB) (int64, error) {
	d := dialectOf(tx)
	var number int64
	err := tx.Raw(`UPDATE ticket_numbers SET last = ` + d.greatest("last + 1", "(SELECT COALESCE(MAX(number), 1000) + 1 FROM tickets)") +
		` WHERE id = 1 RETURNING last`).Scan(&number).Error
	return number, err
}
