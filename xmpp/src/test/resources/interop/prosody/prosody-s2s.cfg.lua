-- Parley interop rig: Prosody 0.12 as the partner XMPP server xmpp.test, federating with Parley's
-- Lync domain over server-to-server streams. Placeholders (@...@) are filled in by ProsodyRig.
run_as_root = true
daemonize = false
pidfile = "@DIR@/prosody.pid"
data_path = "@DIR@/data"
log = { { levels = { min = "info" }, to = "file", filename = "@DIR@/prosody.log" } }

interfaces = { "127.0.0.1" }
c2s_ports = { @C2S_PORT@ }
s2s_ports = { @S2S_PORT@ }
-- XEP-0368 direct TLS listener, with the xmpp.test certificate
s2s_direct_tls_ports = { @S2S_DIRECT_PORT@ }
s2s_direct_tls_ssl = { certificate = "@DIR@/certs/xmpp.test.crt"; key = "@DIR@/certs/xmpp.test.key" }
s2s_interfaces = { "127.0.0.1" }
component_ports = { }

plugin_paths = { "@DIR@/plugins" }
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"; "dialback"; "parley_routes" }
-- where Prosody finds the gateway's domains (no DNS in the rig): STARTTLS and direct TLS services
s2s_target_overrides = { @ROUTES@ }
s2s_direct_tls_target_overrides = { @DIRECT_ROUTES@ }
authentication = "internal_hashed"
storage = "internal"
c2s_require_encryption = true
-- TLS required; SECURE_AUTH true = strict (valid certificates only), false = lenient (dialback with any certificate)
s2s_require_encryption = true
s2s_secure_auth = @SECURE_AUTH@
certificates = "@DIR@/certs"
ssl = { cafile = "@DIR@/certs/ca.crt" }

VirtualHost "xmpp.test"
    ssl = { certificate = "@DIR@/certs/xmpp.test.crt"; key = "@DIR@/certs/xmpp.test.key"; cafile = "@DIR@/certs/ca.crt" }
