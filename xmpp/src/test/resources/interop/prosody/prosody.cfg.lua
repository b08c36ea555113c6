-- Parley interop rig: Prosody 0.12 as the internal XMPP server of xmpp.test, with Parley attached
-- as the XEP-0114 component for the Lync domain. Placeholders (@...@) are filled in by ProsodyRig.
run_as_root = true
daemonize = false
pidfile = "@DIR@/prosody.pid"
data_path = "@DIR@/data"
log = { { levels = { min = "info" }, to = "file", filename = "@DIR@/prosody.log" } }

interfaces = { "127.0.0.1" }
c2s_ports = { @C2S_PORT@ }
component_interfaces = { "127.0.0.1" }
component_ports = { @COMPONENT_PORT@ }
-- no federation in this rig: s2s is tested separately
modules_disabled = { "s2s" }

modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"; "presence"; "message"; "iq" }
authentication = "internal_hashed"
storage = "internal"
c2s_require_encryption = true
certificates = "@DIR@/certs"

VirtualHost "xmpp.test"
    ssl = { certificate = "@DIR@/certs/xmpp.test.crt"; key = "@DIR@/certs/xmpp.test.key"; }

Component "@COMPONENT_DOMAIN@"
    component_secret = "@SECRET@"
