package auth

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// Every command that links auth pays for its package init; `coachdesk lint` never signs anyone in.
// The runtime's init trace says what the init allocated: one bcrypt hash is over 4 KB (its key schedule alone).
func TestInitDoesNotHash(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	m := regexp.MustCompile(`init coachdesk/internal/auth @\S+ ms, (\S+) ms clock, (\d+) bytes`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no init trace for the package in:\n%s", out)
	}
	if bytes, _ := strconv.Atoi(string(m[2])); bytes >= 1024 {
		t.Errorf("package init allocated %d bytes in %s ms: it hashes something", bytes, m[1])
	}
}

func TestWasteTimeCostsAsMuchAsASignIn(t *testing.T) {
	h, err := HashPassword("the-right-password")
	if err != nil {
		t.Fatal(err)
	}
	WasteTime("a-guess")
	if got, want := cost(t, dummyHash()), cost(t, []byte(h)); got != want {
		t.Errorf("dummy hash has cost %d, real ones %d", got, want)
	}
}

func cost(t *testing.T, h []byte) int {
	t.Helper()
	c, err := bcrypt.Cost(h)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
