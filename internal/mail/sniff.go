package mail

import "net/http"

func sniff(data []byte) string { return http.DetectContentType(data) }
