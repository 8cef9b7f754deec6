// Package auth hashes passwords and API tokens; it knows nothing of HTTP or storage.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"coachdesk/internal/desk"
)

const MinPassword = 10

// HashPassword returns a bcrypt hash, refusing passwords too short to be worth hashing.
func HashPassword(password string) (string, error) {
	if err := ValidatePassword("password", password); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(h), err
}

// ValidatePassword applies the password rule (10 characters, at most bcrypt's 72 bytes) without
// hashing, so a form can report it beside field together with its other problems.
func ValidatePassword(field, password string) error {
	if utf8.RuneCountInString(password) < MinPassword {
		return desk.Errorf(desk.EINVALID, field, "Password must be at least %d characters.", MinPassword)
	}
	if len(password) > 72 {
		return desk.Errorf(desk.EINVALID, field, "Password must be at most 72 bytes.")
	}
	return nil
}

// CheckPassword reports whether password matches hash.
func CheckPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// dummyHash lets a sign-in for an unknown e-mail cost as much as a real one. It is made on first use:
// hashing at package load slowed every command's start, also those that never sign anyone in.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("coachdesk-timing-equaliser"), bcrypt.DefaultCost)
	return h
})

// WasteTime spends a bcrypt comparison so unknown accounts cannot be told apart by timing.
func WasteTime(password string) { _ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password)) }

// TokenPrefix marks Coachdesk API tokens so leaked ones are easy to recognise.
const TokenPrefix = "cd_"

// NewToken returns a random API token; only its hash is ever stored.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", errors.New("auth: no randomness")
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// HashToken is a plain SHA-256: tokens carry 256 random bits, so a slow hash adds nothing.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewResetCode returns a random one-time password reset code for a link; like a token, only its
// hash is stored (HashToken), and its 192 random bits make guessing pointless.
func NewResetCode() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", errors.New("auth: no randomness")
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
