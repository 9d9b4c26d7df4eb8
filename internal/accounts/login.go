package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/netip"
	"strings"

	"github.com/isa-alliance/isa"
)

// errLogin is the one answer to a wrong e-mail, a wrong password and a
// disabled or unconfirmed account alike, so that the form does not tell
// which addresses have accounts.
func errLogin() error {
	return &isa.Error{Code: isa.CodeUnauth, Key: "account.error.login", Message: "e-mail address or password is wrong"}
}

func errRateLimited() error {
	return &isa.Error{Code: isa.CodeRateLimit, Key: "account.error.rate_limited", Message: "too many failed sign-ins; try again later"}
}

// Failure keys: the account by the hash of its address (the table never
// holds an address), the client by its address.
func accountKey(email string) string { return "account:" + hashToken(email) }
func resetKey(email string) string   { return "reset:" + hashToken(email) }

// addressKey counts an IPv6 client by its /64: one subscriber usually
// holds a whole /64 and could otherwise take a new address, and a fresh
// limit, for every guess.
func addressKey(addr string) string {
	if a, err := netip.ParseAddr(addr); err == nil && a.Is6() && !a.Is4In6() {
		p, _ := a.WithZone("").Prefix(64)
		return "addr:" + p.String()
	}
	return "addr:" + addr
}

// registeredKey counts registrations with the address of an account.
func registeredKey(email string) string { return "registered:" + hashToken(email) }

// maxResetMails bounds the reset mails, and apart from them the mails
// about registration attempts, to one address per login window.
const maxResetMails = 3

// Login checks e-mail and password and starts a session. addr is the
// client's address for the rate limit. It returns the session token for
// the cookie.
func (s *Service) Login(ctx context.Context, email, password, addr string) (string, *User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	now := s.now()
	since := now.Add(-s.window)
	// The limits are checked before any hashing, so that a flood of
	// guesses costs the server no argon2 time.
	if n, err := s.store.LoginFailures(ctx, accountKey(email), since); err != nil {
		return "", nil, err
	} else if n >= s.maxAcct {
		return "", nil, errRateLimited()
	}
	if addr != "" {
		if n, err := s.store.LoginFailures(ctx, addressKey(addr), since); err != nil {
			return "", nil, err
		} else if n >= s.maxAddr {
			return "", nil, errRateLimited()
		}
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && !isa.IsNotFound(err) {
		return "", nil, err
	}
	ok := false
	if u != nil {
		if ok, err = s.hash.verify(ctx, password, u.PasswordHash); err != nil {
			return "", nil, err
		}
	} else if len(password) <= MaxPassword {
		// Hash anyway so that the answer takes as long for an unknown
		// address as for a known one.
		if _, err := s.hash.hash(ctx, password); err != nil {
			return "", nil, err
		}
	}
	if !ok || u.State != Active {
		if err := s.store.AddLoginFailure(ctx, accountKey(email), now); err != nil {
			return "", nil, err
		}
		if addr != "" {
			if err := s.store.AddLoginFailure(ctx, addressKey(addr), now); err != nil {
				return "", nil, err
			}
		}
		if ok && u.State == Pending {
			return "", nil, &isa.Error{Code: isa.CodeUnauth, Key: "account.error.pending", Message: "please confirm your e-mail address first"}
		}
		return "", nil, errLogin()
	}
	if err := s.store.ClearLoginFailures(ctx, accountKey(email)); err != nil {
		return "", nil, err
	}
	// Expired sessions are swept here, at the one moment sessions are
	// made, so that no background job is needed to keep the table small.
	if _, err := s.store.DeleteExpiredSessions(ctx, now); err != nil {
		return "", nil, err
	}
	token, err := s.startSession(ctx, u.ID)
	if err != nil {
		return "", nil, err
	}
	if err := s.store.TouchLogin(ctx, u.ID, now); err != nil {
		return "", nil, err
	}
	u.LastLogin = now
	return token, u, nil
}

func (s *Service) startSession(ctx context.Context, userID int64) (string, error) {
	token, hash := newToken()
	now := s.now()
	err := s.store.CreateSession(ctx, hash, Session{
		UserID: userID, CSRFToken: NewCSRFToken(), CreatedAt: now, LastSeen: now, Expires: now.Add(s.ttl),
	})
	return token, err
}

// NewCSRFToken returns a random token for forms.
func NewCSRFToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Logout ends the session of token; an unknown token is no error.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, hashToken(token))
}

// SessionUser returns the active user and the session of a session token;
// NotFound for an unknown, expired or disabled one.
func (s *Service) SessionUser(ctx context.Context, token string) (*User, *Session, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, isa.NotFound("session", "")
	}
	hash := hashToken(token)
	sess, err := s.store.SessionByHash(ctx, hash)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	if !now.Before(sess.Expires) {
		s.store.DeleteSession(ctx, hash)
		return nil, nil, isa.NotFound("session", "")
	}
	u, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.State != Active {
		return nil, nil, isa.NotFound("session", "")
	}
	if now.Sub(sess.LastSeen) >= touchEvery {
		sess.LastSeen, sess.Expires = now, now.Add(s.ttl)
		if err := s.store.TouchSession(ctx, hash, sess.LastSeen, sess.Expires); err != nil {
			return nil, nil, err
		}
	}
	return u, sess, nil
}

// RequestReset sends a reset link to the address if it has an account
// that is not disabled. It says nothing about whether it has one: the
// answer is the same, and both ways read the same rows and commit one
// transaction, so that they take about as long.
func (s *Service) RequestReset(ctx context.Context, email string) error {
	email, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && !isa.IsNotFound(err) {
		return err
	}
	// The form would otherwise send any number of mails to someone else's
	// address: a few per login window, and the rest silently dropped so
	// that the answer stays the same.
	var mailTo func(tx Store) error
	if u != nil && u.State != Disabled {
		mailTo = func(tx Store) error {
			token, hash := newToken()
			if err := tx.CreateAccountToken(ctx, hash, u.ID, PurposeReset, s.now().Add(resetTTL)); err != nil {
				return err
			}
			return s.send(ctx, tx, u, "reset", "/reset/confirm?token="+token)
		}
	}
	_, err = s.limitedMail(ctx, resetKey(email), mailTo)
	return err
}

// ResetPassword sets a new password with a reset token and ends every
// session of the account. A pending account is confirmed by it too: the
// mail reached its owner.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (*User, error) {
	if err := s.hash.check(password); err != nil {
		return nil, err
	}
	hash, err := s.hash.hash(ctx, password)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.store.AccountsTx(ctx, func(tx Store) error {
		id, err := tx.UseAccountToken(ctx, hashToken(token), PurposeReset, s.now())
		if err != nil {
			return badToken(err)
		}
		if u, err = tx.UserByID(ctx, id); err != nil {
			return err
		}
		if u.State == Disabled {
			return badToken(isa.NotFound("user", ""))
		}
		u.PasswordHash, u.State = hash, Active
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		return tx.ClearLoginFailures(ctx, accountKey(u.Email))
	})
	return u, err
}

// API tokens carry a prefix so that a leaked one is recognisable in logs
// and by secret scanners.
const apiTokenPrefix = "isa_"

// CreateAPIToken makes a token for u and returns its secret, shown once.
func (s *Service) CreateAPIToken(ctx context.Context, u *User, name string) (string, *APIToken, error) {
	name, err := cleanText("name", name, true, 100)
	if err != nil {
		return "", nil, err
	}
	existing, err := s.store.APITokens(ctx, u.ID)
	if err != nil {
		return "", nil, err
	}
	if len(existing) >= 20 {
		return "", nil, invalid("name", "account.error.too_many_tokens", "too many tokens")
	}
	secret, _ := newToken()
	secret = apiTokenPrefix + secret
	t := &APIToken{UserID: u.ID, Name: name, CreatedAt: s.now()}
	if err := s.store.CreateAPIToken(ctx, hashToken(secret), t); err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// RevokeAPIToken deletes token id of u; NotFound for another user's.
func (s *Service) RevokeAPIToken(ctx context.Context, u *User, id int64) error {
	return s.store.DeleteAPIToken(ctx, u.ID, id)
}

// TokenUser returns the active user of an API token secret.
func (s *Service) TokenUser(ctx context.Context, secret string) (*User, error) {
	if !strings.HasPrefix(secret, apiTokenPrefix) || len(secret) > 100 {
		return nil, isa.NotFound("API token", "")
	}
	t, err := s.store.APITokenByHash(ctx, hashToken(secret))
	if err != nil {
		return nil, err
	}
	u, err := s.store.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.State != Active {
		return nil, isa.NotFound("API token", "")
	}
	if now := s.now(); now.Sub(t.LastUsed) >= touchEvery {
		if err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	return u, nil
}
