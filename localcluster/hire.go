package localcluster

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/internal/staff"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/officer"
)

// Hire staffs the node at url (a `lumbung serve` process) over its API,
// as its admin would: the first admin logs in with the one-time password
// init or the first serve printed and changes it, then adds one officer
// of each role (staff.Name), each of whom logs in with their one-time
// password, changes it to staff.Password and logs in again. The staff is
// registered for url (staff.Transport); a process started again on
// another port is registered again with Register.
func Hire(url, firstPassword string) (*staff.Staff, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tok, err := loginChanging(ctx, url, node.FirstAdmin, firstPassword)
	if err != nil {
		return nil, err
	}
	admin, err := client.New(url, client.Options{HTTP: &http.Client{Timeout: 30 * time.Second}, Token: tok})
	if err != nil {
		return nil, err
	}
	tokens := map[officer.Role]string{}
	for _, r := range officer.Roles {
		ans, err := admin.AddOfficer(ctx, httpapi.OfficerInput{Name: staff.Name(r), FullName: "Demo " + string(r), Role: r})
		if err != nil {
			return nil, fmt.Errorf("localcluster: hire %s: %w", staff.Name(r), err)
		}
		if tokens[r], err = loginChanging(ctx, url, staff.Name(r), ans.Password); err != nil {
			return nil, err
		}
	}
	s := staff.New(tokens)
	Register(url, s)
	return s, nil
}

// Register says that the node at url is staffed by s (staff.Register).
func Register(url string, s *staff.Staff) {
	staff.Register(strings.TrimPrefix(url, "http://"), s)
}

// loginChanging logs name in at url with a one-time password, changes it
// to staff.Password and logs in again, returning the API token.
func loginChanging(ctx context.Context, url, name, once string) (string, error) {
	hc := &http.Client{Timeout: 30 * time.Second}
	anon, err := client.New(url, client.Options{HTTP: hc})
	if err != nil {
		return "", err
	}
	ans, err := anon.Login(ctx, name, once)
	if err != nil {
		return "", fmt.Errorf("localcluster: log %s in: %w", name, err)
	}
	if !ans.MustChange {
		return "", errors.New("localcluster: " + name + "'s one-time password need not be changed")
	}
	first, err := client.New(url, client.Options{HTTP: hc, Token: ans.Token})
	if err != nil {
		return "", err
	}
	if err := first.SetPassword(ctx, once, staff.Password); err != nil {
		return "", fmt.Errorf("localcluster: %s changes the one-time password: %w", name, err)
	}
	if ans, err = anon.Login(ctx, name, staff.Password); err != nil {
		return "", fmt.Errorf("localcluster: log %s in again: %w", name, err)
	}
	return ans.Token, nil
}
