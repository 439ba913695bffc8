-- Stock and purchasing coherence on `tiny` (search_path = app). Each block starts with a labelled echo line;
-- every number it returns must be 0, or it must return no rows.

\echo 1 inventory = sum(movements)  (expect 0)
select count(*) from inventory i
left join (select organization_id, product_id, location_id, sum(quantity) q from inventory_movements group by 1,2,3) m
  using (organization_id, product_id, location_id)
where i.quantity_on_hand <> coalesce(m.q, 0) or i.quantity_on_hand < 0;

\echo 1b movements without an inventory row (expect 0)
select count(*) from (select distinct organization_id, product_id, location_id from inventory_movements) m
left join inventory i using (organization_id, product_id, location_id) where i.id is null;

\echo 2 running balance below zero (expect 0)
select count(*) from (select sum(quantity) over (partition by organization_id, product_id, location_id order by occurred_at, id) b
  from inventory_movements) x where b < 0;

\echo 3 FIFO layers remaining = on hand (expect 0)
select count(*) from inventory i
left join (select organization_id, product_id, location_id, sum(quantity_remaining) r from inventory_cost_layers group by 1,2,3) l
  using (organization_id, product_id, location_id)
where coalesce(l.r, 0) <> i.quantity_on_hand;

\echo 3b FIFO: a layer with remaining stock is never older than a fully consumed one (expect 0)
select count(*) from inventory_cost_layers a join inventory_cost_layers b using (organization_id, product_id, location_id)
where a.quantity_remaining > 0 and b.quantity_remaining < b.quantity_received and b.received_at > a.received_at;

\echo 4 PO subtotal = sum(line_total), line_total = qty*unit - discount (expect 0 0)
select count(*) from purchase_orders p join (select purchase_order_id, sum(line_total) s from purchase_order_items group by 1) i
  on i.purchase_order_id = p.id where p.subtotal <> i.s;
select count(*) from purchase_order_items where line_total <> round(quantity_ordered * unit_cost, 2) - discount_amount;

\echo 5 item quantity_received = accepted receipt quantities (expect 0)
select count(*) from purchase_order_items it left join (select purchase_order_item_id, sum(quantity_received - quantity_rejected) q
  from purchase_order_receipt_items group by 1) r on r.purchase_order_item_id = it.id where it.quantity_received <> coalesce(r.q, 0);

\echo 6 status agrees with receipts (expect 0)
select count(*) from purchase_orders p
left join (select purchase_order_id, count(*) n from purchase_order_receipts group by 1) r on r.purchase_order_id = p.id
left join (select it.purchase_order_id, bool_and(coalesce(ri.q, 0) >= it.quantity_ordered) all_done from purchase_order_items it
  left join (select purchase_order_item_id, sum(quantity_received) q from purchase_order_receipt_items group by 1) ri on ri.purchase_order_item_id = it.id
  group by 1) d on d.purchase_order_id = p.id
where (p.status in ('received', 'closed') and not coalesce(d.all_done, false))
   or (p.status = 'partially_received' and (r.n is null or d.all_done))
   or (p.status in ('draft', 'pending_approval', 'approved', 'sent', 'cancelled') and r.n is not null);

\echo 7 timeline created <= approved <= sent <= first receipt; received_at = last receipt (expect 0)
select count(*) from purchase_orders p left join (select purchase_order_id, min(received_at) f, max(received_at) l from purchase_order_receipts group by 1) r
  on r.purchase_order_id = p.id
where p.approved_at < p.created_at or p.sent_at < coalesce(p.approved_at, p.created_at) or r.f < p.sent_at
  or (p.status in ('received','closed') and p.received_at <> r.l) or p.cancelled_at < p.created_at or p.closed_at < p.received_at;

\echo 8 approvals: every non-cancelled PO >= 5000 past draft has a step-1 approval, >= 25000 with step 1 approved has step 2 (expect 0 0)
select count(*) from purchase_orders p where total_amount >= 5000 and status not in ('draft')
  and not exists (select 1 from purchase_order_approvals a where a.purchase_order_id = p.id and a.step = 1);
select count(*) from purchase_orders p where total_amount >= 25000 and status not in ('draft','pending_approval','cancelled')
  and not exists (select 1 from purchase_order_approvals a where a.purchase_order_id = p.id and a.step = 2 and a.decision = 'approved');

\echo 8b approved_at = last approval decision (expect 0)
select count(*) from purchase_orders p join (select purchase_order_id, max(decided_at) d from purchase_order_approvals where decision = 'approved' group by 1) a
  on a.purchase_order_id = p.id where p.approved_at <> a.d;

\echo 9 receipt movements = accepted receipt items (expect 0 0)
select count(*) from purchase_order_receipt_items ri join purchase_order_items it on it.id = ri.purchase_order_item_id
  join purchase_order_receipts r on r.id = ri.purchase_order_receipt_id
  where ri.quantity_received > ri.quantity_rejected and not exists (select 1 from inventory_movements m where m.movement_type = 'receipt'
   and m.purchase_order_id = r.purchase_order_id and m.product_id = it.product_id and m.occurred_at = r.received_at and m.quantity = ri.quantity_received - ri.quantity_rejected);
select (select sum(quantity_received - quantity_rejected) from purchase_order_receipt_items) - (select sum(quantity) from inventory_movements where movement_type = 'receipt');

\echo 10 count corrections = counted - expected (expect 0)
select count(*) from stock_count_items ci join stock_counts c on c.id = ci.stock_count_id
 left join inventory_movements m on m.stock_count_id = c.id and m.product_id = ci.product_id
 where coalesce(m.quantity, 0) <> ci.counted_quantity - ci.expected_quantity;

\echo 10b expected_quantity = ledger balance just before the count (expect 0)
select count(*) from stock_count_items ci join stock_counts c on c.id = ci.stock_count_id
 where ci.expected_quantity <> coalesce((select sum(quantity) from inventory_movements m where m.organization_id = c.organization_id and m.product_id = ci.product_id
   and m.location_id = c.location_id and m.occurred_at < c.counted_at), 0);

\echo 11 stock_out alerts: balance at raise is 0 and stays 0 until resolved (raise/resolve at movement times) (expect 0)
select count(*) from inventory_alerts a where alert_type = 'stock_out' and
  (select sum(quantity) from inventory_movements m where m.organization_id = a.organization_id and m.product_id = a.product_id and m.location_id = a.location_id and m.occurred_at <= a.raised_at) <> 0;

\echo 12 no timestamp after the window (expect 0)
select count(*) from purchase_orders p join organizations o on o.id = p.organization_id where greatest(p.created_at, p.updated_at, p.sent_at, p.received_at, p.closed_at) >= ((o.settings #>> '{synthetic,through}')::date + 1);
select max(occurred_at) from inventory_movements; select max(updated_at) from inventory_alerts; select max(computed_at) from supplier_performance_metrics;

\echo 13 PO total check & metrics spend = PO totals in month (expect 0)
select count(*) from supplier_performance_metrics s where spend <> coalesce((select sum(total_amount) from purchase_orders p where p.organization_id = s.organization_id
  and p.supplier_id = s.supplier_id and p.status <> 'cancelled' and p.order_date between s.period_start and s.period_end), 0);

\echo 14 on_time rate recomputed (expect 0)
select count(*) from supplier_performance_metrics s where on_time_delivery_rate is distinct from (select round(10000.0 * count(*) filter (where r.received_at::date <= p.expected_delivery_date) / nullif(count(*),0)) / 100
  from purchase_order_receipts r join purchase_orders p on p.id = r.purchase_order_id where p.organization_id = s.organization_id and p.supplier_id = s.supplier_id
  and r.received_at::date between s.period_start and s.period_end);

\echo 17 PO line unit cost = preferred price list valid on the order date, or an active agreement at or above its min quantity (expect 0)
select count(*) from purchase_order_items it join purchase_orders p on p.id = it.purchase_order_id
where not exists (select 1 from supplier_price_lists l where l.organization_id = p.organization_id and l.supplier_id = p.supplier_id and l.product_id = it.product_id
   and l.is_preferred and p.order_date between l.valid_from and coalesce(l.valid_to, 'infinity') and l.unit_cost = it.unit_cost)
  and not exists (select 1 from price_agreements a where a.organization_id = p.organization_id and a.supplier_id = p.supplier_id and a.product_id = it.product_id
   and a.status <> 'cancelled' and p.order_date between a.valid_from and a.valid_to and a.unit_cost = it.unit_cost and it.quantity_ordered >= a.min_quantity);

\echo 18 transfers pair up (expect 0)
select count(*) from inventory_movements o where movement_type = 'transfer_out' and not exists (select 1 from inventory_movements i where i.movement_type = 'transfer_in'
  and i.organization_id = o.organization_id and i.product_id = o.product_id and i.location_id = o.transfer_location_id and i.transfer_location_id = o.location_id
  and i.occurred_at = o.occurred_at and i.quantity = -o.quantity);

\echo 19 job consumption per product/location = job_materials (expect 0)
select count(*) from (select organization_id, product_id, coalesce(location_id, 0) l, sum(quantity) q from job_materials group by 1,2,3) j
 full join (select organization_id, product_id, location_id l, -sum(quantity) q from inventory_movements where movement_type = 'job_consumption' group by 1,2,3) m using (organization_id, product_id, l)
 where j.q is distinct from m.q;

\echo 20 sales per order = stocked order lines of fulfilled orders (expect 0)
select count(*) from (select li.organization_id, li.product_id, sum(li.quantity) q from order_line_items li join orders o on o.id = li.order_id join products p on p.id = li.product_id
   where o.status in ('fulfilled','completed') and p.is_stocked and p.product_type = 'physical' group by 1,2) s
 full join (select organization_id, product_id, -sum(quantity) q from inventory_movements where movement_type = 'sale' group by 1,2) m using (organization_id, product_id)
 where s.q is distinct from m.q;
