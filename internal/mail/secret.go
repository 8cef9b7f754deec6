package mail

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
)

// Sealer seals mailbox passwords at rest with AES-256-GCM under the key from COACHDESK_SECRET_KEY.
type Sealer struct{ aead cipher.AEAD }

// ErrNoKey is a password to store or read without COACHDESK_SECRET_KEY set.
var ErrNoKey = errors.New("mail: set COACHDESK_SECRET_KEY (32 random bytes, hex or base64) to store mailbox passwords")

// NewSealer takes a key of 32 bytes in hex or base64; a longer passphrase is hashed to one. An
// empty key gives a Sealer that refuses, with ErrNoKey.
func NewSealer(key string) (*Sealer, error) {
	if key == "" {
		return &Sealer{}, nil
	}
	var k []byte
	if b, err := hex.DecodeString(key); err == nil && len(b) == 32 {
		k = b
	} else if b, err := base64.StdEncoding.DecodeString(key); err == nil && len(b) == 32 {
		k = b
	} else if len(key) >= 32 {
		sum := sha256.Sum256([]byte(key))
		k = sum[:]
	} else {
		return nil, fmt.Errorf("mail: COACHDESK_SECRET_KEY is too short: give 32 random bytes as hex (openssl rand -hex 32)")
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal returns nonce+ciphertext; the mailbox id is bound in, so a sealed value cannot be moved to another mailbox.
func (s *Sealer) Seal(plain string, mailboxAddress string) ([]byte, error) {
	if s == nil || s.aead == nil {
		return nil, ErrNoKey
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return s.aead.Seal(nonce, nonce, []byte(plain), []byte(mailboxAddress)), nil
}

// Open reads a sealed value back; an empty one is an empty password.
func (s *Sealer) Open(sealed []byte, mailboxAddress string) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	if s == nil || s.aead == nil {
		return "", ErrNoKey
	}
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("mail: a sealed password is cut short")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(mailboxAddress))
	if err != nil {
		return "", errors.New("mail: a mailbox password does not open with this COACHDESK_SECRET_KEY")
	}
	return string(plain), nil
}

// CanSeal reports whether the Sealer has a key.
func (s *Sealer) CanSeal() bool { return s != nil && s.aead != nil }
