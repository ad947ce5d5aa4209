-- wrk script: POSTs one AuthZEN evaluation body, with the example's PEP API key and, when given,
-- an agent session's token in X-Portcullis-Session. The request is formatted once, in init.
-- Usage: wrk -s session.lua URL -- BODY_FILE [SESSION_TOKEN]
local req

function init(args)
    local f = assert(io.open(args[1], "r"))
    local body = f:read("*a")
    f:close()
    local headers = {
        ["Content-Type"] = "application/json",
        ["X-API-Key"] = "demo-gateway-key-0001",
    }
    if args[2] ~= nil and #args[2] > 0 then
        headers["X-Portcullis-Session"] = args[2]
    end
    req = wrk.format("POST", wrk.path, headers, body)
end

function request()
    return req
end
