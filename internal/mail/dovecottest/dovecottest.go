// Package dovecottest starts a private Dovecot IMAP server for a test: its own configuration, a test
// user with a mailbox in a temporary folder, ports picked on 127.0.0.1, IMAPS and STARTTLS both.
// Without Dovecot (Debian's dovecot-imapd) the test is skipped with the reason; on CI
// (CI set, or COACHDESK_REQUIRE_DOVECOT=1) it fails instead.
package dovecottest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"coachdesk/internal/mail/mailtest"
)

// Server is a running Dovecot.
type Server struct {
	Host         string
	IMAPPort     int // plain IMAP that offers STARTTLS
	IMAPSPort    int // IMAP over TLS
	User         string
	Password     string
	TLS          *tls.Config // trusts the server's certificate
	CA           []byte      // that certificate as PEM, for a child process
	Dir          string
	dovecot, cfg string
}

// TLSFromPEM trusts the certificate in ca, as a child process of the test reads it.
func TLSFromPEM(ca []byte) *tls.Config {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// Required reports whether a missing Dovecot fails the test rather than skipping it.
func Required() bool {
	return os.Getenv("CI") != "" || os.Getenv("COACHDESK_REQUIRE_DOVECOT") == "1"
}

func find() (string, error) {
	for _, p := range []string{"/usr/sbin/dovecot", "/usr/local/sbin/dovecot"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return exec.LookPath("dovecot")
}

// Start runs a Dovecot until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := find()
	if err != nil {
		if Required() {
			t.Fatalf("the IMAP test must run here (CI or COACHDESK_REQUIRE_DOVECOT=1 is set), but Dovecot is missing: apt-get install -y dovecot-imapd")
		}
		t.Skip("skipping the IMAP test: Dovecot is not installed (apt-get install -y dovecot-imapd)")
	}
	// Not t.TempDir: its parent is private to us, and Dovecot's own users must reach the files.
	dir, err := os.MkdirTemp("", "coachdesk-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	cert, pool := mailtest.SelfSigned(t)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	s := &Server{Host: "127.0.0.1", User: "support", Password: "imap-test-secret", Dir: dir, dovecot: bin,
		TLS: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}, CA: certPEM}
	s.IMAPPort, s.IMAPSPort = freePort(t), freePort(t)
	me, _ := user.Current()
	must(t, os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "passwd"), []byte(fmt.Sprintf("%s:{PLAIN}%s::::::\n", s.User, s.Password)), 0o644))
	must(t, os.MkdirAll(filepath.Join(dir, "home"), 0o755))
	internal, mailUID, mailGID := me.Username, me.Uid, me.Gid
	if me.Uid == "0" {
		// Dovecot refuses to run its helpers, or to keep mail, as root: the package's user does both.
		internal = "dovecot"
		if u, err := user.Lookup(internal); err == nil {
			mailUID, mailGID = u.Uid, u.Gid
			uid, _ := strconv.Atoi(u.Uid)
			gid, _ := strconv.Atoi(u.Gid)
			must(t, os.Chown(filepath.Join(dir, "home"), uid, gid))
		}
	}
	conf := fmt.Sprintf(`
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
info_log_path = %[1]s/dovecot.log
instance_name = coachdesk-test-%[4]d
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = %[5]s
default_internal_group = %[6]s
default_login_user = %[5]s
mail_location = maildir:%[1]s/home/%%u/Maildir
mail_uid = %[7]s
mail_gid = %[8]s
first_valid_uid = 0
first_valid_gid = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
userdb {
  driver = static
  args = uid=%[7]s gid=%[8]s home=%[1]s/home/%%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[3]d
    ssl = yes
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
`, dir, s.IMAPPort, s.IMAPSPort, s.IMAPPort, internal, groupOf(internal), mailUID, mailGID)
	s.cfg = filepath.Join(dir, "dovecot.conf")
	must(t, os.WriteFile(s.cfg, []byte(conf), 0o644))
	s.start(t)
	t.Cleanup(func() { s.stop() })
	return s
}

func groupOf(name string) string {
	u, err := user.Lookup(name)
	if err != nil {
		return name
	}
	g, err := user.LookupGroupId(u.Gid)
	if err != nil {
		return name
	}
	return g.Name
}

func (s *Server) start(t testing.TB) {
	t.Helper()
	// Output goes to a file: the daemon's children keep a pipe open, and a pipe's reader would wait for them.
	out, err := os.Create(filepath.Join(s.Dir, "start.out"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command(s.dovecot, "-c", s.cfg)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		said, _ := os.ReadFile(out.Name())
		log, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.log"))
		t.Fatalf("dovecot would not start: %v\n%s\n%s", err, said, log)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.IMAPPort)), time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.log"))
			t.Fatalf("dovecot does not answer on %d: %v\n%s", s.IMAPPort, err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Log is what Dovecot logged, for a failing test's message.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.log"))
	return string(b)
}

func (s *Server) stop() {
	cmd := exec.Command(s.dovecot, "-c", s.cfg, "stop")
	_ = cmd.Run()
	// Wait for the master to go, so the temporary folder can be removed.
	pid, _ := os.ReadFile(filepath.Join(s.Dir, "run", "master.pid"))
	for i := 0; i < 100 && len(pid) > 0; i++ {
		if _, err := os.Stat(filepath.Join(s.Dir, "run", "master.pid")); err != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Client signs in as the test user over IMAPS.
func (s *Server) Client(t testing.TB) *client.Client {
	t.Helper()
	c, err := client.DialTLS(net.JoinHostPort(s.Host, strconv.Itoa(s.IMAPSPort)), s.TLS)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(s.User, s.Password); err != nil {
		t.Fatalf("sign in to dovecot: %v\n%s", err, s.Log())
	}
	return c
}

// Deliver puts a mail in the test user's folder, as the customer's mail reaching the support address.
func (s *Server) Deliver(t testing.TB, folder string, raw []byte) {
	t.Helper()
	c := s.Client(t)
	defer c.Logout()
	if err := c.Append(folder, nil, time.Now(), bytes.NewReader(raw)); err != nil {
		t.Fatalf("append to %s: %v\n%s", folder, err, s.Log())
	}
}

// Count is how many mails are in folder, and how many of them carry flag.
func (s *Server) Count(t testing.TB, folder, flag string) (all, flagged int) {
	t.Helper()
	c := s.Client(t)
	defer c.Logout()
	st, err := c.Select(folder, true)
	if err != nil {
		t.Fatal(err)
	}
	crit := imap.NewSearchCriteria()
	crit.WithFlags = []string{flag}
	ids, err := c.Search(crit)
	if err != nil {
		t.Fatal(err)
	}
	return int(st.Messages), len(ids)
}

// CreateFolder makes a folder (where taken mail is moved).
func (s *Server) CreateFolder(t testing.TB, name string) {
	t.Helper()
	c := s.Client(t)
	defer c.Logout()
	if err := c.Create(name); err != nil {
		t.Fatal(err)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	// Dovecot binds the port itself; this one is free now and on loopback only.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
