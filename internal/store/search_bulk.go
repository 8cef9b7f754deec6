package store

import "slices"

// writeDirtyDocs writes the search documents of the tickets this batch touched, just before it commits.
func (b *Bulk) writeDirtyDocs() error {
	if len(b.dirty) == 0 {
		return nil
	}
	slices.Sort(b.dirty)
	ids := slices.Compact(b.dirty)
	b.dirty = b.dirty[:0]
	// Ranges of consecutive ids cost one read each; a load adds tickets in runs.
	for lo := 0; lo < len(ids); {
		hi := lo
		for hi+1 < len(ids) && ids[hi+1] == ids[hi]+1 && hi-lo < searchBatch {
			hi++
		}
		if _, err := refreshSearch(b.ctx, b.d, b.tx, ids[lo], ids[hi]); err != nil {
			return err
		}
		lo = hi + 1
	}
	return nil
}

// writeDocsFrom writes the documents of every ticket from id on, in ranges, inside the load's transaction.
func (b *Bulk) writeDocsFrom(id int64) error {
	var last int64
	if err := b.tx.QueryRowContext(b.ctx, `SELECT COALESCE(MAX(id), 0) FROM tickets`).Scan(&last); err != nil {
		return err
	}
	for lo := id; lo <= last; lo += searchBatch {
		if _, err := writeDocs(b.ctx, b.d, b.tx, lo, min(lo+searchBatch-1, last), true); err != nil {
			return err
		}
	}
	return nil
}
