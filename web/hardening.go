package web

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
)

// maxBodyBytes caps every request body; message bodies have their own, smaller limit in desk.
const maxBodyBytes = 256 << 10

// errBodyTooLarge names the body, so forms and the API say what to shorten.
var errBodyTooLarge = &desk.Error{Code: desk.ETOOLARGE, Field: "body", Reason: "request", Message: "The request body is larger than 256 KB."}

// limitBody refuses a body over the cap before any handler runs. A body of unknown length (chunked)
// is read into memory up to the cap first: otherwise a form parser meets the limit half-way, drops
// the error and runs the handler with empty fields.
func limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		switch {
		case r.ContentLength > maxBodyBytes:
			return errBodyTooLarge
		case r.ContentLength < 0:
			data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
			if err != nil {
				return desk.Errorf(desk.EMALFORMED, "body", "The request body could not be read.")
			}
			if len(data) > maxBodyBytes {
				return errBodyTooLarge
			}
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(data)), int64(len(data))
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, maxBodyBytes)
		return next(c)
	}
}

// contentSecurityPolicy allows our own scripts and styles only, no framing, no foreign form targets.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// privateAnswers keeps signed-in pages and API answers out of every cache (a shared computer's
// back button, a proxy); static files stay cacheable. HSTS goes out when the site is served over HTTPS.
func privateAnswers(secure bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			if !strings.HasPrefix(c.Request().URL.Path, "/static/") {
				h.Set(echo.HeaderCacheControl, "no-store")
			}
			if secure {
				h.Set(echo.HeaderStrictTransportSecurity, "max-age=31536000; includeSubDomains")
			}
			return next(c)
		}
	}
}

// ipExtractor takes the client's address from X-Forwarded-For only when the request comes from one
// of the trusted proxies; otherwise X-Forwarded-For is the client's to forge, and the socket decides.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// ParseTrustedProxies reads "10.0.0.0/8,192.168.1.5" (a bare address is a /32 or /128).
func ParseTrustedProxies(list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			ip := net.ParseIP(item)
			if ip == nil {
				return nil, desk.Errorf(desk.EINVALID, "trusted-proxies", "%q is not an address or CIDR range.", item)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(item)
		if err != nil {
			return nil, desk.Errorf(desk.EINVALID, "trusted-proxies", "%q is not an address or CIDR range.", item)
		}
		out = append(out, n)
	}
	return out, nil
}

// ClientIP is the address the server takes as the client's for r, given the trusted proxies.
func ClientIP(trusted []*net.IPNet, r *http.Request) string { return ipExtractor(trusted)(r) }
