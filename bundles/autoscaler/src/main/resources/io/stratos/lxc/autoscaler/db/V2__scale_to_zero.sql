-- Scale to zero: after this many seconds without a request, a subscription goes to zero processes (null: never).
ALTER TABLE autoscale_policies ADD COLUMN scale_to_zero_after_s INTEGER;
