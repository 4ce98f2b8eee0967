package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/lumbung/lumbung/client"
	"github.com/lumbung/lumbung/locale"
	"github.com/urfave/cli/v2"
)

// defaultNode is where a desa node listens unless init was told otherwise.
const defaultNode = "http://127.0.0.1:8080"

// nodeFlag and outputFlag are shared by the client commands.
func nodeFlag() cli.Flag {
	return &cli.StringFlag{Name: "node", Value: defaultNode, Usage: "flag.node"}
}

func outputFlag() cli.Flag {
	return &cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "text", Usage: "flag.output"}
}

// apiClient is a client of --node for one command, asking for messages
// in the officer's language and keeping the last answer for --output
// json.
type apiClient struct {
	*client.Client
	lang locale.Lang
	raw  []byte
}

func newClient(c *cli.Context) (*apiClient, error) {
	lang := langOf(c)
	tokens, err := loadTokens()
	if err != nil {
		return nil, err
	}
	hc, err := httpClient(c.String("node"))
	if err != nil {
		return nil, err
	}
	cl, err := client.New(c.String("node"), client.Options{Lang: string(lang), Token: tokens[nodeKey(c.String("node"))], HTTP: hc})
	if err != nil {
		return nil, errors.New(tr(lang, "err.node_url", nodeKey(c.String("node"))))
	}
	switch o := c.String("output"); o {
	case "", "text", "json":
	default:
		return nil, errors.New(tr(lang, "err.output", o))
	}
	a := &apiClient{lang: lang}
	a.Client = cl.Keep(&a.raw)
	return a, nil
}

// printedJSON writes the last answer indented when --output json asks
// for it, and reports whether it did.
func (a *apiClient) printedJSON(c *cli.Context) (bool, error) {
	if c.String("output") != "json" {
		return false, nil
	}
	return true, printJSON(c.App.Writer, a.raw)
}

// explainAPIErrors puts what the API client returns in the officer's
// words, for every command of app: a node that cannot be reached or did
// not answer in time is a plain sentence; a refusal carries the node's
// own message, already in the officer's language.
func explainAPIErrors(cmds []*cli.Command) {
	for _, cmd := range cmds {
		if action := cmd.Action; action != nil {
			cmd.Action = func(c *cli.Context) error { return explain(langOf(c), action(c)) }
		}
		explainAPIErrors(cmd.Subcommands)
	}
}

func explain(lang locale.Lang, err error) error {
	var te *client.TransportError
	var ae *client.Error
	switch {
	case errors.As(err, &te) && te.Kind == client.ErrUnreachable:
		return &plainError{tr(lang, "err.unreachable", te.Base), err}
	case errors.As(err, &te) && te.Kind == client.ErrTimeout:
		return &plainError{tr(lang, "err.timeout", te.Base), err}
	case errors.As(err, &te) && te.Kind == client.ErrBadAnswer:
		return &plainError{tr(lang, "err.bad_answer", te.Base) + ": " + te.Err.Error(), err}
	case errors.As(err, &te):
		return &plainError{tr(lang, "err.transport", te.Base) + ": " + te.Err.Error(), err}
	case errors.As(err, &ae) && ae.Message == "":
		return &plainError{tr(lang, "err.http_status", ae.Status, http.StatusText(ae.Status), ae.Body), err}
	}
	return err
}

// printJSON writes a raw JSON answer indented, for --output json.
func printJSON(w io.Writer, raw []byte) error {
	var b bytes.Buffer
	if err := json.Indent(&b, bytes.TrimSpace(raw), "", "  "); err != nil {
		_, err = w.Write(raw)
		return err
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// readInput reads a file, or standard input when name is "-".
func readInput(c *cli.Context, name string) ([]byte, error) {
	if name == "-" {
		b, err := io.ReadAll(c.App.Reader)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tr(langOf(c), "err.read", "stdin"), err)
		}
		return b, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tr(langOf(c), "err.read", name), err)
	}
	return b, nil
}
