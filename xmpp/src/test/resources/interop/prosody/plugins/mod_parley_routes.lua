-- Routes chosen s2s destinations to fixed addresses (Prosody reads no /etc/hosts): test rigs only.
-- Config: s2s_target_overrides = { ["lync.test"] = { "127.0.0.1", 5270 } }
local manual = require "net.resolvers.manual";
local service = require "net.resolvers.service";
local overrides = module:get_option("s2s_target_overrides", {});
local original_new = service.new;
service.new = function (hostname, service_name, conn_type, extra)
	local target = overrides[hostname];
	if target and service_name == "xmpp-server" then
		return manual.new({ { "tcp4", target[1], target[2], extra } }, conn_type, extra);
	end
	return original_new(hostname, service_name, conn_type, extra);
end
module:log("info", "s2s target overrides active");
