// Package service runs Lumbung as the operating system's service: on a
// Linux server a systemd unit, hardened, with sd_notify readiness. Unit
// renders the unit (pure); Notify tells systemd the node's state. The
// CLI (`lumbung service`) installs, removes, starts, stops and reports
// it.
package service
