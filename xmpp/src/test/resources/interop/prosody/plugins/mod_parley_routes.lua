-- Routes chosen s2s destinations to fixed addresses (Prosody reads no /etc/hosts): test rigs only.
-- Config: s2s_target_overrides = { ["lync.test"] = { "127.0.0.1", 5269 } } for the STARTTLS service
--         (or a pool: { ["lync.test"] = { { "127.0.0.2", 5269 }, { "127.0.0.3", 5269 } } }, tried in order),
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
		if type(target[1]) == "table" then
			-- a pool: every member in order, as the targets of an SRV lookup (the next when one refuses)
			local targets = {};
			for _, t in ipairs(target) do
				table.insert(targets, { "tcp4", t[1], t[2], extra });
			end
			return manual.new(targets, conn_type, extra);
		end
		return manual.new({ { "tcp4", target[1], target[2], extra } }, conn_type, extra);
	end
	if service_name == "xmpps-server" and (direct[hostname] or overrides[hostname]) then
		local target = direct[hostname];
		return manual.new(target and { { "tcp4", target[1], target[2], extra } } or {}, conn_type, extra);
	end
	return original_new(hostname, service_name, conn_type, extra);
end
module:log("info", "s2s target overrides active");
