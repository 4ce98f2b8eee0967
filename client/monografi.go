package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/lumbung/lumbung/catalogue"
	"github.com/lumbung/lumbung/httpapi"
	"github.com/lumbung/lumbung/monografi"
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
)

// monografiPath is the API path of a region's document for a period.
func monografiPath(region schema.Code, p monografi.Period) string {
	return "/api/v1/monografi/" + url.PathEscape(string(region)) + "/" + url.PathEscape(string(p))
}

// SetMonografi enters a desa's figures for a period, in the officer's
// name, and returns the document after it.
func (c *Client) SetMonografi(ctx context.Context, region schema.Code, p monografi.Period, officer string,
	values map[string]float64) (*node.MonografiView, error) {
	in := map[string]any{"values": values, "officer": officer}
	var out node.MonografiView
	return &out, c.Do(ctx, http.MethodPut, monografiPath(region, p), in, &out)
}

// Monografi returns a desa's document for a period.
func (c *Client) Monografi(ctx context.Context, region schema.Code, p monografi.Period) (*node.MonografiView, error) {
	var out node.MonografiView
	return &out, c.Do(ctx, http.MethodGet, monografiPath(region, p), nil, &out)
}

// Aggregate returns the monografi of a region above the desa for a
// period: its figures combined from the desa below, and how complete.
func (c *Client) Aggregate(ctx context.Context, region schema.Code, p monografi.Period) (*monografi.Aggregate, error) {
	var out monografi.Aggregate
	return &out, c.Do(ctx, http.MethodGet, monografiPath(region, p), nil, &out)
}

// MonografiTable returns the table of a region's figures for a period: a
// column per desa and the total.
func (c *Client) MonografiTable(ctx context.Context, region schema.Code, p monografi.Period) (*node.MonografiTable, error) {
	var out node.MonografiTable
	return &out, c.Do(ctx, http.MethodGet, monografiPath(region, p)+"/table", nil, &out)
}

// SubmitMonografi submits a desa's figures for approval, in the
// officer's name.
func (c *Client) SubmitMonografi(ctx context.Context, region schema.Code, p monografi.Period, officer string) (*node.MonografiView, error) {
	var out node.MonografiView
	return &out, c.Do(ctx, http.MethodPost, monografiPath(region, p)+"/submit", map[string]string{"officer": officer}, &out)
}

// Step takes an approval step (node.StepApprove, StepReturn,
// StepUnapprove, StepAccept, StepUnaccept) on a region's document and
// returns the document after it.
func (c *Client) Step(ctx context.Context, region schema.Code, p monografi.Period, step string,
	in *node.StepInput) (*node.MonografiView, error) {
	var out node.MonografiView
	return &out, c.Do(ctx, http.MethodPost, monografiPath(region, p)+"/"+url.PathEscape(step), in, &out)
}

// AcceptKecamatan takes node.StepAccept on a kecamatan: it accepts the
// approved figures of its desa as one set, and says which.
func (c *Client) AcceptKecamatan(ctx context.Context, kec schema.Code, p monografi.Period,
	in *node.StepInput) (*node.AcceptResult, error) {
	var out node.AcceptResult
	return &out, c.Do(ctx, http.MethodPost, monografiPath(kec, p)+"/"+node.StepAccept, in, &out)
}

// Catalogue returns the catalogue in effect for region (the node's own
// when empty): the built-in indicators with the extensions applied.
func (c *Client) Catalogue(ctx context.Context, region schema.Code) (*catalogue.Effective, error) {
	path := "/api/v1/catalogue"
	if region != "" {
		path += "?region=" + url.QueryEscape(string(region))
	}
	var out catalogue.Effective
	return &out, c.Do(ctx, http.MethodGet, path, nil, &out)
}

// ExtendCatalogue extends the catalogue of the node's region.
func (c *Client) ExtendCatalogue(ctx context.Context, in *httpapi.CatalogueInput) (*catalogue.Extension, error) {
	var out catalogue.Extension
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/catalogue", in, &out)
}

// PublishRegions publishes the region list below the node's region.
func (c *Client) PublishRegions(ctx context.Context, in *httpapi.RegionsInput) (*httpapi.RegionsResult, error) {
	var out httpapi.RegionsResult
	return &out, c.Do(ctx, http.MethodPost, "/api/v1/regions", in, &out)
}
