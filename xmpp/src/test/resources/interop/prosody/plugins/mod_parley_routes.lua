-- Routes chosen s2s destinations to fixed addresses (Prosody reads no /etc/hosts): test rigs only.
-- Config: s2s_target_overrides = { ["lync.test"] = { "127.0.0.1", 5269 } } for the STARTTLS service,
--         s2s_direct_tls_target_overrides = { ["lync.test"] = { "127.0.0.1", 5270 } } for XEP-0368.
-- An overridden domain without a direct TLS route gets no xmpps-server targets (no DNS lookup at all).
local manual = require "net.resolvers.manual";
local service = require "net.resolvers.service";
local overrides = module:get_option("s2s_target_overrides", {});
local direct = module:get_option("s2s_direct_tls_target_overrides", {});
local original_new = service.new;
service.new = function (hostname, service_name, conn_type, extra)
	if service_name == "xmpp-server" and overrides[hostname] then
		local target = overrides[hostname];
		return manual.new({ { "tcp4", target[1], target[2], extra } }, conn_type, extra);
	end
	if service_name == "xmpps-server" and (direct[hostname] or overrides[hostname]) then
		local target = direct[hostname];
		return manual.new(target and { { "tcp4", target[1], target[2], extra } } or {}, conn_type, extra);
	end
	return original_new(hostname, service_name, conn_type, extra);
end
module:log("info", "s2s target overrides active");
