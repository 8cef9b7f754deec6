package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

// seededDB opens the database at path, first seeding it with seed unless a finished seed is there
// (marked by <path>.seeded): a seed at scale takes minutes, so runs share it.
func seededDB(tb testing.TB, path string, seed func(*store.Store)) *store.Store {
	tb.Helper()
	ctx := context.Background()
	if _, err := os.Stat(path + ".seeded"); err != nil {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		st, err := store.Open(ctx, path)
		if err != nil {
			tb.Fatal(err)
		}
		seed(st)
		st.Close()
		if err := os.WriteFile(path+".seeded", nil, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// benchAgents creates n agents ("Agent 00" …) for generated replies to come from.
func benchAgents(tb testing.TB, st *store.Store, n int) []int64 {
	tb.Helper()
	var ids []int64
	for i := range n {
		u, err := st.CreateUser(context.Background(), desk.User{Name: fmt.Sprintf("Agent %02d", i), Email: fmt.Sprintf("agent%02d@coachdesk.test", i), Role: desk.RoleAgent, PasswordHash: "x"})
		if err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	return ids
}

// envInt is the positive number in the environment variable name, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
