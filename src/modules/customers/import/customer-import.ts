import { INestApplicationContext, Type } from '@nestjs/common';
import { UnitOfWork } from 'src/core/database/unit-of-work';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { CustomersRepository } from 'src/modules/customers/repositories/customers.repository';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { CustomerImportRepository } from './customer-import.repository';
import { CustomerImportOptions, CustomerImportService, CustomerImportSummary } from './customer-import.service';

export { CustomerImportError, DEFAULT_IMPORT_BATCH_SIZE, OVER_CAPACITY } from './customer-import.service';
export type { CustomerImportOptions, CustomerImportSummary, ImportProgress } from './customer-import.service';
export type { RejectedRow } from './reject-report';

/** The import service of a running application, composed from the customers and org modules' providers. */
export function customerImportService(app: INestApplicationContext): CustomerImportService {
  const get = <T>(type: Type<T>): T => app.get(type, { strict: false });
  return new CustomerImportService(
    get(UnitOfWork),
    new CustomerImportRepository(),
    get(CustomersRepository),
    get(CustomersService),
    get(EmployeesService),
  );
}

/**
 * Imports customers from a CSV file or stream for one employee of an
 * organization and returns the summary (see CustomerImportService). Fatal
 * problems throw: AppError NOT_FOUND (employee), CONFLICT (employee not
 * ACTIVE), BAD_USER_INPUT (no header or no name column), CustomerImportError
 * (unreadable file, interrupted or stopped run, with the partial summary).
 */
export function importCustomersCsv(
  app: INestApplicationContext,
  options: CustomerImportOptions,
): Promise<CustomerImportSummary> {
  return customerImportService(app).import(options);
}
