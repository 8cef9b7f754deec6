//go:build !linux

package main

import "io"

// hideInput cannot turn off echo here; pipe the password in on standard input instead.
func hideInput(io.Reader) func() { return nil }
