-- wrk script: POSTs the AuthZEN evaluation bodies of requests.tsv (one "allow|deny<TAB>json" per
-- line) in turn, each thread starting at a different line. The requests are formatted once, in
-- init, so the generator spends no time building them.
-- Usage: wrk -s post.lua URL -- /path/to/requests.tsv
local requests = {}
local next_index = 1
local thread_counter = 0

function setup(thread)
    thread:set("offset", thread_counter)
    thread_counter = thread_counter + 1
end

function init(args)
    local file = args[1] or "requests.tsv"
    local path = wrk.path
    local headers = { ["Content-Type"] = "application/json" }
    for line in io.lines(file) do
        local body = line:match("^%a+\t(.+)$")
        if body then
            requests[#requests + 1] = wrk.format("POST", path, headers, body)
        end
    end
    if #requests == 0 then
        error("no requests in " .. file)
    end
    next_index = (offset or 0) % #requests + 1
end

function request()
    local r = requests[next_index]
    next_index = next_index % #requests + 1
    return r
end

-- one machine-readable line for summarize.py (latencies in microseconds)
function done(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format(
        "RESULT requests=%d duration_us=%d non2xx=%d connect_errors=%d read_errors=%d write_errors=%d "
            .. "timeouts=%d p50=%d p90=%d p99=%d p999=%d max=%d mean=%.1f\n",
        summary.requests, summary.duration, errors.status, errors.connect, errors.read, errors.write,
        errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
        latency:percentile(99.9), latency.max, latency.mean))
end
