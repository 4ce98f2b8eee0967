package testcluster

import (
	"github.com/lumbung/lumbung/node"
	"github.com/lumbung/lumbung/schema"
)

func nodeAction(id string, a *schema.ActionInput) *node.Write {
	return &node.Write{Kind: node.WriteComplaintAction, ID: id, Action: a}
}

func nodeCreate(in *schema.ComplaintInput) *node.Write {
	return &node.Write{Kind: node.WriteComplaintCreate, Complaint: in}
}
