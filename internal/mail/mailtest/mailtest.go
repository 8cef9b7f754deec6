// Package mailtest runs an SMTP relay inside a test process, built on go-smtp, that keeps what it is
// given, so tests read the mail Coachdesk sent as the customer's server would receive it.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one mail the relay accepted.
type Received struct {
	From string
	To   []string
	Raw  []byte
}

// Relay is a running SMTP relay on 127.0.0.1 that wants User and Password and offers STARTTLS.
type Relay struct {
	Host, User, Password string
	Port                 int
	TLS                  *tls.Config // what a client needs to trust the relay's certificate

	mu       sync.Mutex
	received []Received
	fail     []error       // answers to give the next DATA commands, in turn
	hold     chan struct{} // while set, DATA waits until it is closed
	signal   chan struct{}
}

// Start runs a relay until the test ends.
func Start(t testing.TB) *Relay {
	t.Helper()
	cert, pool := SelfSigned(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &Relay{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, User: "relay", Password: "relay-secret",
		TLS: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}, signal: make(chan struct{}, 100)}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{r: r}, nil }))
	s.Domain = "relay.test"
	s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.ReadTimeout, s.WriteTimeout = time.Minute, time.Minute
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return r
}

// Addr is host:port.
func (r *Relay) Addr() string { return net.JoinHostPort(r.Host, strconv.Itoa(r.Port)) }

// FailNext makes the next DATA commands answer with errs, in turn (an *smtp.SMTPError sets the code).
func (r *Relay) FailNext(errs ...error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = append(r.fail, errs...)
}

// Hold makes every DATA wait until Release, so a test sees a mail on its way.
func (r *Relay) Hold() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hold == nil {
		r.hold = make(chan struct{})
	}
}

// Release lets held and later mail through.
func (r *Relay) Release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hold != nil {
		close(r.hold)
		r.hold = nil
	}
}

// Received is every mail accepted so far.
func (r *Relay) Received() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.received...)
}

// Wait waits until n mails were accepted or the deadline passes, and returns what there is.
func (r *Relay) Wait(t testing.TB, n int, within time.Duration) []Received {
	t.Helper()
	deadline := time.After(within)
	for {
		if got := r.Received(); len(got) >= n {
			return got
		}
		select {
		case <-r.signal:
		case <-deadline:
			got := r.Received()
			t.Fatalf("the relay has %d mails after %s, want %d", len(got), within, n)
			return got
		}
	}
}

type session struct {
	r      *Relay
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.r.User || pass != s.r.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication failed"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(rd io.Reader) error {
	raw, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	s.r.mu.Lock()
	if hold := s.r.hold; hold != nil {
		s.r.mu.Unlock()
		<-hold
		s.r.mu.Lock()
	}
	if len(s.r.fail) > 0 {
		err := s.r.fail[0]
		s.r.fail = s.r.fail[1:]
		s.r.mu.Unlock()
		return err
	}
	s.r.received = append(s.r.received, Received{From: s.from, To: s.to, Raw: raw})
	s.r.mu.Unlock()
	select {
	case s.r.signal <- struct{}{}:
	default:
	}
	return nil
}

// ErrTemporary is a 451 answer, the kind a sender retries.
var ErrTemporary = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}

// ErrRejected is a 550 answer, the kind a sender gives up on.
var ErrRejected = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable"}

// SelfSigned is a certificate for 127.0.0.1 and the pool that trusts it, for a test server's TLS.
func SelfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
