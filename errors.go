// Package isa holds the domain of the ISA Partner Database: member cities,
// organisations, their contact persons and their listings (offers and
// requests), with the error vocabulary that every layer shares. Storage,
// search, the interchange format and HTTP live in packages of their own and
// depend on this one, never the other way round.
package isa

import (
	"errors"
	"fmt"
)

// Code classifies an error for callers that branch on it (HTTP status,
// translated message, CLI exit code). It is the one error vocabulary of the
// project.
type Code string

const (
	CodeNotFound  Code = "not_found"
	CodeInvalid   Code = "invalid"
	CodeForbidden Code = "forbidden"
	CodeConflict  Code = "conflict"
	CodeUnauth    Code = "unauthenticated"
	CodeRateLimit Code = "rate_limited"
	CodeInternal  Code = "internal"
)

// Error is a domain error with a code, a message safe to show to users and
// an optional field it concerns. The wrapped error carries technical detail
// for logs and is never shown to users.
type Error struct {
	Code    Code
	Field   string // the input field concerned, if any
	Message string // safe to show; English, translated at the edge by Key
	Key     string // locale key for the message, if any
	Err     error  // underlying cause, for logs only
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", msg, e.Err)
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input in a field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports a missing object of the given kind.
func NotFound(kind, key string) *Error {
	return &Error{Code: CodeNotFound, Message: fmt.Sprintf("%s %q not found", kind, key)}
}

// ErrorCode returns the code of the first *Error in err's chain, CodeInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// IsNotFound reports whether err is a not-found error.
func IsNotFound(err error) bool { return ErrorCode(err) == CodeNotFound }

// ErrorMessage returns the user-safe message of err: the *Error's message or
// a generic text for anything else, so that raw driver errors never reach users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return "internal error"
}
